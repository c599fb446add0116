/*
 * ui_keys.c - text fields with a cursor, on-screen keyboard, PIN pad.
 */
#include "ui_keys.h"
#include "vp_str.h"
#include <string.h>

#define KB_COLS 11
#define KB_ROWS 5

enum { K_CHAR, K_BACK, K_SHIFT, K_SPACE, K_ENTER, K_LAYER, K_LEFT, K_RIGHT };

struct kb_key {
    const char *ch[2]; /* lower-case text: letters, symbols */
    int kind;
    int span;
};

#define C(a, b)                                                                                    \
    {                                                                                              \
        { a, b }, K_CHAR, 1                                                                        \
    }
#define BACK  "\xE2\x8C\xAB" /* ⌫ */
#define SHIFT "\xE2\x87\xA7" /* ⇧ */

/* Row by row; spans add up to KB_COLS. Both layers share every key that
 * is not a character. */
static const struct kb_key keys[] = {
    C("1", "1"),
    C("2", "2"),
    C("3", "3"),
    C("4", "4"),
    C("5", "5"),
    C("6", "6"),
    C("7", "7"),
    C("8", "8"),
    C("9", "9"),
    C("0", "0"),
    { { BACK, BACK }, K_BACK, 1 },
    C("q", "!"),
    C("w", "?"),
    C("e", "("),
    C("r", ")"),
    C("t", "/"),
    C("y", ":"),
    C("u", "@"),
    C("i", "&"),
    C("o", "+"),
    C("p", "="),
    C("\xC3\xAB", "\xC3\xAF"), /* ë ï */
    C("a", "\""),
    C("s", ";"),
    C("d", "_"),
    C("f", "#"),
    C("g", "%"),
    C("h", "\xE2\x82\xAC"),
    C("j", "*"),
    C("k", "\xC3\xA8"),
    C("l", "\xC3\xBC"),
    C("\xC3\xA9", "\xC3\xB6"), /* é ö */
    C("'", "'"),
    { { SHIFT, SHIFT }, K_SHIFT, 1 },
    C("z", "["),
    C("x", "]"),
    C("c", "<"),
    C("v", ">"),
    C("b", "$"),
    C("n", "~"),
    C("m", "^"),
    C(",", ","),
    C(".", "."),
    C("-", "-"),
    { { "?123", "abc" }, K_LAYER, 2 },
    { { "\xE2\x97\x80", "\xE2\x97\x80" }, K_LEFT, 1 },
    { { " ", " " }, K_SPACE, 4 },
    { { "\xE2\x96\xB6", "\xE2\x96\xB6" }, K_RIGHT, 1 },
    { { "\n", "\n" }, K_ENTER, 3 },
};
#define NKEYS ((int)(sizeof(keys) / sizeof(keys[0])))

void ui_field_set(struct ui_field *f, const char *text, size_t max_chars, bool digits_only)
{
    vp_strlcpy(f->text, text ? text : "", sizeof(f->text));
    f->max_chars = max_chars;
    f->digits_only = digits_only;
    f->cursor = strlen(f->text);
}

bool ui_field_append(struct ui_field *f, const char *s)
{
    size_t len = strlen(f->text), add = strlen(s);
    if (f->cursor > len)
        f->cursor = len;
    if (!add || len + add + 1 > sizeof(f->text))
        return false;
    if (!vp_utf8_valid_text(s, add) || strchr(s, '\n') || strchr(s, '\t'))
        return false;
    if (f->digits_only)
        for (size_t i = 0; i < add; i++)
            if (s[i] < '0' || s[i] > '9')
                return false;
    if (f->max_chars && vp_utf8_length(f->text) + vp_utf8_length(s) > f->max_chars)
        return false;
    memmove(f->text + f->cursor + add, f->text + f->cursor, len - f->cursor + 1);
    memcpy(f->text + f->cursor, s, add);
    f->cursor += add;
    return true;
}

void ui_field_backspace(struct ui_field *f)
{
    size_t len = strlen(f->text), n;
    if (f->cursor > len)
        f->cursor = len;
    n = vp_utf8_last_char_len(f->text, f->cursor);
    memmove(f->text + f->cursor - n, f->text + f->cursor, len - f->cursor + 1);
    f->cursor -= n;
}

void ui_field_move(struct ui_field *f, int dir)
{
    size_t len = strlen(f->text);
    if (f->cursor > len)
        f->cursor = len;
    if (dir < 0)
        f->cursor -= vp_utf8_last_char_len(f->text, f->cursor);
    else if (f->cursor < len) {
        size_t n = vp_utf8_seq_len(f->text + f->cursor, len - f->cursor);
        f->cursor += n ? n : 1;
    }
}

static enum ui_key_result key_down(struct ui_field *f, SDL_Keycode k)
{
    switch (k) {
    case SDLK_BACKSPACE: ui_field_backspace(f); return UI_KEY_CHANGED;
    case SDLK_DELETE:
        if (f->cursor < strlen(f->text)) {
            ui_field_move(f, 1);
            ui_field_backspace(f);
        }
        return UI_KEY_CHANGED;
    case SDLK_LEFT: ui_field_move(f, -1); return UI_KEY_CHANGED;
    case SDLK_RIGHT: ui_field_move(f, 1); return UI_KEY_CHANGED;
    case SDLK_HOME: f->cursor = 0; return UI_KEY_CHANGED;
    case SDLK_END: f->cursor = strlen(f->text); return UI_KEY_CHANGED;
    case SDLK_RETURN:
    case SDLK_KP_ENTER: return UI_KEY_ENTER;
    default: return UI_KEY_NONE;
    }
}

enum ui_key_result ui_field_event(struct ui_field *f, const SDL_Event *ev)
{
    if (ev->type == SDL_TEXTINPUT)
        return ui_field_append(f, ev->text.text) ? UI_KEY_CHANGED : UI_KEY_FULL;
    if (ev->type != SDL_KEYDOWN)
        return UI_KEY_NONE;
    return key_down(f, ev->key.keysym.sym);
}

/* The bytes [from, to) of text as a new string in out. */
static void part(const char *text, size_t from, size_t to, char *out, size_t size)
{
    size_t n = to - from + 1 < size ? to - from + 1 : size;
    vp_strlcpy(out, text + from, n);
}

void ui_field_draw(struct ui *ui, const struct ui_field *f, struct ui_rect r, int font, ui_color c,
                   bool masked)
{
    char shown[UI_FIELD_BYTES * 2], buf[UI_FIELD_BYTES * 2];
    size_t len, cur, from = 0, to;
    int lh = ui_line_height(ui, font), cx;
    if (masked) {
        size_t n = vp_utf8_length(f->text);
        shown[0] = '\0';
        for (size_t i = 0; i < n && i < 12; i++)
            vp_strlcpy(shown + strlen(shown), "\xE2\x97\x8F ", sizeof(shown) - strlen(shown));
        ui_text(ui, r.x, r.y + (r.h - lh) / 2, font, c, shown);
        return;
    }
    vp_strlcpy(shown, f->text, sizeof(shown));
    len = strlen(shown);
    cur = f->cursor > len ? len : f->cursor;
    /* the window: start as late as needed for the cursor to show, then
     * as much after it as fits */
    part(shown, 0, cur, buf, sizeof(buf));
    while (from < cur && ui_text_width(ui, font, buf) > r.w - 4) {
        size_t n = vp_utf8_seq_len(shown + from, len - from);
        from += n ? n : 1;
        part(shown, from, cur, buf, sizeof(buf));
    }
    to = cur;
    while (to < len) {
        size_t n = vp_utf8_seq_len(shown + to, len - to);
        part(shown, from, to + (n ? n : 1), buf, sizeof(buf));
        if (ui_text_width(ui, font, buf) > r.w - 4)
            break;
        to += n ? n : 1;
    }
    part(shown, from, cur, buf, sizeof(buf));
    cx = r.x + ui_text_width(ui, font, buf);
    part(shown, from, to, buf, sizeof(buf));
    ui_text(ui, r.x, r.y + (r.h - lh) / 2, font, c, buf);
    ui_fill(ui, (struct ui_rect){ cx, r.y + (r.h - lh) / 2, 2, lh }, c, 0);
}

/* Upper case of the keyboard's letters: ASCII and the Latin-1 accents. */
static void upper(const char *in, char out[8])
{
    vp_strlcpy(out, in, 8);
    if (out[0] >= 'a' && out[0] <= 'z' && !out[1])
        out[0] = (char)(out[0] - 32);
    else if ((unsigned char)out[0] == 0xC3 && (unsigned char)out[1] >= 0xA0)
        out[1] = (char)((unsigned char)out[1] - 0x20);
}

static bool shifted(const struct ui_keyboard *kb, const struct ui_field *f)
{
    return kb->shift || (kb->auto_cap && f->text[0] == '\0');
}

static int gap_for(int width)
{
    return (width - (KB_COLS - 1) * 8) / KB_COLS >= UI_TARGET_MIN ? 8 : 4;
}

int ui_keyboard_height(int width, int avail_h)
{
    int kh = 72, gap = gap_for(width);
    if (KB_ROWS * kh + (KB_ROWS - 1) * gap > avail_h)
        kh = UI_TARGET_MIN;
    return KB_ROWS * kh + (KB_ROWS - 1) * gap;
}

static void key_text(const struct ui_keyboard *kb, const struct ui_field *f, const struct kb_key *k,
                     char text[8])
{
    const char *ch = k->ch[kb->symbols ? 1 : 0];
    if (k->kind == K_CHAR && shifted(kb, f))
        upper(ch, text);
    else
        vp_strlcpy(text, ch, 8);
}

void ui_keyboard_build(struct ui *ui, const struct ui_keyboard *kb, const struct ui_field *f,
                       struct ui_rect area, int action, const char *space_label,
                       const char *done_label)
{
    struct ui_style key = { UI_C_SURFACE, UI_C_LINE, UI_C_INK, 2, 12, UI_F_BODY, false };
    struct ui_style act = { UI_C_PRIMARY, UI_C_PRIMARY, UI_C_ON_PRIM, 2, 12, UI_F_BODY, false };
    struct ui_style on = { UI_C_SELECTED, UI_C_PRIMARY, UI_C_PRIMARY, 2, 12, UI_F_BODY, false };
    int gap = gap_for(area.w);
    int kw = (area.w - (KB_COLS - 1) * gap) / KB_COLS;
    int kh = (area.h - (KB_ROWS - 1) * gap) / KB_ROWS;
    int col = 0, row = 0;
    for (int i = 0; i < NKEYS; i++) {
        const struct kb_key *k = &keys[i];
        struct ui_rect r = { area.x + col * (kw + gap), area.y + row * (kh + gap),
                             k->span * kw + (k->span - 1) * gap, kh };
        char text[8];
        const struct ui_style *st = &key;
        const char *label = text;
        key_text(kb, f, k, text);
        if (k->kind == K_SPACE)
            label = space_label;
        else if (k->kind == K_ENTER) {
            label = done_label;
            st = &act;
        } else if ((k->kind == K_SHIFT && shifted(kb, f)) || (k->kind == K_LAYER && kb->symbols))
            st = &on;
        ui_control(ui, r, st, action, i, label,
                   k->kind == K_CHAR || k->kind == K_SPACE ? text : NULL);
        ui_allow_repeat(ui); /* "Daan": a key may be tapped twice at once */
        ui_text_in(ui, r, UI_F_BODY, k->kind == K_SPACE ? UI_C_INK2 : st->text, UI_CENTER, label);
        col += k->span;
        if (col >= KB_COLS) {
            col = 0;
            row++;
        }
    }
}

enum ui_key_result ui_keyboard_press(struct ui_keyboard *kb, struct ui_field *f, int arg)
{
    const struct kb_key *k;
    char text[8];
    if (arg < 0 || arg >= NKEYS)
        return UI_KEY_NONE;
    k = &keys[arg];
    switch (k->kind) {
    case K_BACK: ui_field_backspace(f); return UI_KEY_CHANGED;
    case K_SHIFT: kb->shift = !kb->shift; return UI_KEY_CHANGED;
    case K_LAYER: kb->symbols = !kb->symbols; return UI_KEY_CHANGED;
    case K_LEFT: ui_field_move(f, -1); return UI_KEY_CHANGED;
    case K_RIGHT: ui_field_move(f, 1); return UI_KEY_CHANGED;
    case K_ENTER: return UI_KEY_ENTER;
    case K_SPACE: return ui_field_append(f, " ") ? UI_KEY_CHANGED : UI_KEY_FULL;
    default:
        key_text(kb, f, k, text);
        kb->shift = false;
        return ui_field_append(f, text) ? UI_KEY_CHANGED : UI_KEY_FULL;
    }
}

void ui_pinpad_build(struct ui *ui, struct ui_rect area, int action, const char *back_label,
                     const char *ok_label)
{
    struct ui_style key = { UI_C_SURFACE, UI_C_PRIMARY, UI_C_PRIMARY, 2, 12, UI_F_TILE - 4, false };
    struct ui_style ok = { UI_C_PRIMARY, UI_C_PRIMARY, UI_C_ON_PRIM, 2, 12, UI_F_BODY, false };
    struct ui_style back = key;
    int kw = (area.w - 2 * 8) / 3, kh = (area.h - 3 * 8) / 4;
    back.font = UI_F_BODY;
    for (int i = 0; i < 12; i++) {
        int col = i % 3, row = i / 3;
        struct ui_rect r = { area.x + col * (kw + 8), area.y + row * (kh + 8), kw, kh };
        char digit[2] = { 0, 0 };
        if (i < 9) {
            digit[0] = (char)('1' + i);
            ui_control(ui, r, &key, action, i + 1, digit, digit);
            ui_allow_repeat(ui); /* "1122" */
            ui_text_in(ui, r, key.font, key.text, UI_CENTER, digit);
        } else if (i == 9) {
            ui_button(ui, r, &back, action, UI_PIN_BACK, back_label, UI_CENTER);
            ui_allow_repeat(ui);
        } else if (i == 10) {
            ui_control(ui, r, &key, action, 0, "0", "0");
            ui_allow_repeat(ui);
            ui_text_in(ui, r, key.font, key.text, UI_CENTER, "0");
        } else {
            ui_button(ui, r, &ok, action, UI_PIN_OK, ok_label, UI_CENTER);
            ui_allow_repeat(ui);
        }
    }
}

enum ui_key_result ui_pinpad_press(struct ui_field *f, int arg)
{
    char digit[2] = { 0, 0 };
    if (arg == UI_PIN_OK)
        return UI_KEY_ENTER;
    if (arg == UI_PIN_BACK) {
        f->cursor = strlen(f->text);
        ui_field_backspace(f);
        return UI_KEY_CHANGED;
    }
    if (arg < 0 || arg > 9)
        return UI_KEY_NONE;
    digit[0] = (char)('0' + arg);
    f->cursor = strlen(f->text);
    return ui_field_append(f, digit) ? UI_KEY_CHANGED : UI_KEY_FULL;
}
