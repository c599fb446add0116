/*
 * ui_keys.h - text fields with a cursor, the on-screen keyboard (letters
 * with the Dutch ë é and ', a second layer of punctuation and the other
 * accents, cursor keys) and the numeric PIN pad.
 *
 * The widgets add their keys as controls with the caller's action and an
 * arg per key; the caller passes that arg back to *_press(). A physical
 * keyboard edits the same field through ui_field_event().
 */
#ifndef UI_KEYS_H
#define UI_KEYS_H
#include "ui.h"

#define UI_FIELD_BYTES 1200

/* Caller-owned text being edited (UTF-8), with a cursor: a byte offset on
 * a character boundary, 0..strlen(text). */
struct ui_field {
    char text[UI_FIELD_BYTES];
    size_t max_chars; /* code points; 0 = as much as fits */
    bool digits_only;
    size_t cursor;
};

struct ui_keyboard {
    bool shift;    /* one-shot: the next letter is a capital */
    bool auto_cap; /* a capital for the first letter of an empty field */
    bool symbols;  /* the punctuation layer instead of the letters */
};

/* UI_KEY_FULL: a character did not fit (max_chars): say so, never drop it
 * silently. */
enum ui_key_result { UI_KEY_NONE, UI_KEY_CHANGED, UI_KEY_ENTER, UI_KEY_FULL };

/* Sets the text; the cursor goes to its end. */
void ui_field_set(struct ui_field *f, const char *text, size_t max_chars, bool digits_only);
/* Inserts one UTF-8 character or string at the cursor if it fits (and
 * moves the cursor after it); false if not. */
bool ui_field_append(struct ui_field *f, const char *s);
/* Deletes the character before the cursor. */
void ui_field_backspace(struct ui_field *f);
/* Moves the cursor one character (dir -1 or +1). */
void ui_field_move(struct ui_field *f, int dir);
/* Physical keys: text input, Backspace, Delete, arrows, Home, End, Enter. */
enum ui_key_result ui_field_event(struct ui_field *f, const SDL_Event *ev);
/* Draws the field's text in r (one line) with the cursor as a bar; a text
 * wider than r shows the part around the cursor. masked: dots. */
void ui_field_draw(struct ui *ui, const struct ui_field *f, struct ui_rect r, int font, ui_color c,
                   bool masked);

/* The keyboard's height for a given width (keys >= 64 px high). */
int ui_keyboard_height(int width, int avail_h);
/* Adds the keys into area. space_label and done_label are shown on the
 * space bar and the enter key; the layer key reads "?123" / "abc". */
void ui_keyboard_build(struct ui *ui, const struct ui_keyboard *kb, const struct ui_field *f,
                       struct ui_rect area, int action, const char *space_label,
                       const char *done_label);
enum ui_key_result ui_keyboard_press(struct ui_keyboard *kb, struct ui_field *f, int arg);

/* The PIN pad: 1-9, backspace (one digit), 0, OK in a 3 x 4 grid. */
#define UI_PIN_BACK 10
#define UI_PIN_OK   11
void ui_pinpad_build(struct ui *ui, struct ui_rect area, int action, const char *back_label,
                     const char *ok_label);
enum ui_key_result ui_pinpad_press(struct ui_field *f, int arg);

#endif
