/*
 * ui_keys.c - text fields, on-screen keyboard, PIN pad.
 */
#include "ui_keys.h"
#include "vp_str.h"
#include <string.h>

#define KB_COLS 11
#define KB_ROWS 5
#define KB_GAP  8

enum { K_CHAR, K_BACK, K_SHIFT, K_SPACE, K_ENTER };

struct kb_key {
    const char *ch; /* lower-case text */
    int kind;
    int span;
};

/* Row by row; spans add up to KB_COLS. */
static const struct kb_key keys[] = {
    { "1", K_CHAR, 1 },
    { "2", K_CHAR, 1 },
    { "3", K_CHAR, 1 },
    { "4", K_CHAR, 1 },
    { "5", K_CHAR, 1 },
    { "6", K_CHAR, 1 },
    { "7", K_CHAR, 1 },
    { "8", K_CHAR, 1 },
    { "9", K_CHAR, 1 },
    { "0", K_CHAR, 1 },
    { "\xE2\x8C\xAB", K_BACK, 1 },
    { "q", K_CHAR, 1 },
    { "w", K_CHAR, 1 },
    { "e", K_CHAR, 1 },
    { "r", K_CHAR, 1 },
    { "t", K_CHAR, 1 },
    { "y", K_CHAR, 1 },
    { "u", K_CHAR, 1 },
    { "i", K_CHAR, 1 },
    { "o", K_CHAR, 1 },
    { "p", K_CHAR, 1 },
    { "'", K_CHAR, 1 },
    { "a", K_CHAR, 1 },
    { "s", K_CHAR, 1 },
    { "d", K_CHAR, 1 },
    { "f", K_CHAR, 1 },
    { "g", K_CHAR, 1 },
    { "h", K_CHAR, 1 },
    { "j", K_CHAR, 1 },
    { "k", K_CHAR, 1 },
    { "l", K_CHAR, 1 },
    { "-", K_CHAR, 1 },
    { ".", K_CHAR, 1 },
    { "\xE2\x87\xA7", K_SHIFT, 1 },
    { "z", K_CHAR, 1 },
    { "x", K_CHAR, 1 },
    { "c", K_CHAR, 1 },
    { "v", K_CHAR, 1 },
    { "b", K_CHAR, 1 },
    { "n", K_CHAR, 1 },
    { "m", K_CHAR, 1 },
    { "/", K_CHAR, 1 },
    { ":", K_CHAR, 1 },
    { "@", K_CHAR, 1 },
    { "\xC3\xAB", K_CHAR, 1 },
    { "\xC3\xA9", K_CHAR, 1 },
    { "\xC3\xA8", K_CHAR, 1 },
    { "\xC3\xAF", K_CHAR, 1 },
    { "\xC3\xBC", K_CHAR, 1 },
    { "\xC3\xB6", K_CHAR, 1 },
    { " ", K_SPACE, 3 },
    { "\n", K_ENTER, 2 },
};
#define NKEYS ((int)(sizeof(keys) / sizeof(keys[0])))

void ui_field_set(struct ui_field *f, const char *text, size_t max_chars, bool digits_only)
{
    vp_strlcpy(f->text, text ? text : "", sizeof(f->text));
    f->max_chars = max_chars;
    f->digits_only = digits_only;
}

bool ui_field_append(struct ui_field *f, const char *s)
{
    size_t len = strlen(f->text), add = strlen(s);
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
    memcpy(f->text + len, s, add + 1);
    return true;
}

void ui_field_backspace(struct ui_field *f)
{
    size_t len = strlen(f->text);
    f->text[len - vp_utf8_last_char_len(f->text, len)] = '\0';
}

enum ui_key_result ui_field_event(struct ui_field *f, const SDL_Event *ev)
{
    if (ev->type == SDL_TEXTINPUT)
        return ui_field_append(f, ev->text.text) ? UI_KEY_CHANGED : UI_KEY_NONE;
    if (ev->type != SDL_KEYDOWN)
        return UI_KEY_NONE;
    switch (ev->key.keysym.sym) {
    case SDLK_BACKSPACE: ui_field_backspace(f); return UI_KEY_CHANGED;
    case SDLK_RETURN:
    case SDLK_KP_ENTER: return UI_KEY_ENTER;
    default: return UI_KEY_NONE;
    }
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

int ui_keyboard_height(int width, int avail_h)
{
    int kh = 72;
    (void)width;
    if (KB_ROWS * kh + (KB_ROWS - 1) * KB_GAP > avail_h)
        kh = UI_TARGET_MIN;
    return KB_ROWS * kh + (KB_ROWS - 1) * KB_GAP;
}

void ui_keyboard_build(struct ui *ui, const struct ui_keyboard *kb, const struct ui_field *f,
                       struct ui_rect area, int action, const char *space_label,
                       const char *done_label)
{
    struct ui_style key = { UI_C_SURFACE, UI_C_LINE, UI_C_INK, 2, 12, UI_F_BODY, false };
    struct ui_style act = { UI_C_PRIMARY, UI_C_PRIMARY, UI_C_ON_PRIM, 2, 12, UI_F_BODY, false };
    struct ui_style on = { UI_C_SELECTED, UI_C_PRIMARY, UI_C_PRIMARY, 2, 12, UI_F_BODY, false };
    int kw = (area.w - (KB_COLS - 1) * KB_GAP) / KB_COLS;
    int kh = (area.h - (KB_ROWS - 1) * KB_GAP) / KB_ROWS;
    int col = 0, row = 0;
    bool sh = shifted(kb, f);
    for (int i = 0; i < NKEYS; i++) {
        const struct kb_key *k = &keys[i];
        struct ui_rect r = { area.x + col * (kw + KB_GAP), area.y + row * (kh + KB_GAP),
                             k->span * kw + (k->span - 1) * KB_GAP, kh };
        char text[8];
        const struct ui_style *st = &key;
        const char *label = text;
        if (k->kind == K_CHAR && sh)
            upper(k->ch, text);
        else
            vp_strlcpy(text, k->ch, sizeof(text));
        if (k->kind == K_SPACE)
            label = space_label;
        else if (k->kind == K_ENTER) {
            label = done_label;
            st = &act;
        } else if (k->kind == K_SHIFT && sh)
            st = &on;
        ui_control(ui, r, st, action, i, label,
                   k->kind == K_CHAR || k->kind == K_SPACE ? text : NULL);
        ui_allow_repeat(ui); /* "Daan": a key may be tapped twice at once */
        ui_text_in(ui, r, k->kind == K_SPACE ? UI_F_SUB : st->font,
                   k->kind == K_SPACE ? UI_C_INK2 : st->text, UI_CENTER, label);
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
    case K_ENTER: return UI_KEY_ENTER;
    case K_SPACE: ui_field_append(f, " "); return UI_KEY_CHANGED;
    default:
        if (shifted(kb, f))
            upper(k->ch, text);
        else
            vp_strlcpy(text, k->ch, sizeof(text));
        kb->shift = false;
        ui_field_append(f, text);
        return UI_KEY_CHANGED;
    }
}

void ui_pinpad_build(struct ui *ui, struct ui_rect area, int action, const char *clear_label,
                     const char *ok_label)
{
    struct ui_style key = { UI_C_SURFACE, UI_C_PRIMARY, UI_C_PRIMARY, 2, 12, UI_F_TILE - 4, false };
    struct ui_style ok = { UI_C_PRIMARY, UI_C_PRIMARY, UI_C_ON_PRIM, 2, 12, UI_F_BODY, false };
    struct ui_style clr = key;
    int kw = (area.w - 2 * KB_GAP) / 3, kh = (area.h - 3 * KB_GAP) / 4;
    clr.font = UI_F_BODY;
    for (int i = 0; i < 12; i++) {
        int col = i % 3, row = i / 3;
        struct ui_rect r = { area.x + col * (kw + KB_GAP), area.y + row * (kh + KB_GAP), kw, kh };
        char digit[2] = { 0, 0 };
        if (i < 9) {
            digit[0] = (char)('1' + i);
            ui_control(ui, r, &key, action, i + 1, digit, digit);
            ui_allow_repeat(ui); /* "1122" */
            ui_text_in(ui, r, key.font, key.text, UI_CENTER, digit);
        } else if (i == 9) {
            ui_button(ui, r, &clr, action, UI_PIN_CLEAR, clear_label, UI_CENTER);
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
    if (arg == UI_PIN_CLEAR) {
        f->text[0] = '\0';
        return UI_KEY_CHANGED;
    }
    if (arg < 0 || arg > 9)
        return UI_KEY_NONE;
    digit[0] = (char)('0' + arg);
    ui_field_append(f, digit);
    return UI_KEY_CHANGED;
}
