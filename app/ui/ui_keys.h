/*
 * ui_keys.h - text fields, the on-screen QWERTY keyboard (with the Dutch
 * letters ë é è ï ü ö and ') and the numeric PIN pad.
 *
 * The widgets add their keys as controls with the caller's action and an
 * arg per key; the caller passes that arg back to *_press(). A physical
 * keyboard edits the same field through ui_field_event().
 */
#ifndef UI_KEYS_H
#define UI_KEYS_H
#include "ui.h"

#define UI_FIELD_BYTES 1200

/* Caller-owned text being edited (UTF-8). */
struct ui_field {
    char text[UI_FIELD_BYTES];
    size_t max_chars; /* code points; 0 = as much as fits */
    bool digits_only;
};

struct ui_keyboard {
    bool shift;    /* one-shot: the next letter is a capital */
    bool auto_cap; /* a capital for the first letter of an empty field */
};

enum ui_key_result { UI_KEY_NONE, UI_KEY_CHANGED, UI_KEY_ENTER };

void ui_field_set(struct ui_field *f, const char *text, size_t max_chars, bool digits_only);
/* Appends one UTF-8 character or string if it fits; false if not. */
bool ui_field_append(struct ui_field *f, const char *s);
void ui_field_backspace(struct ui_field *f);
/* Physical keys: text input, Backspace, Enter. */
enum ui_key_result ui_field_event(struct ui_field *f, const SDL_Event *ev);

/* The keyboard's height for a given width (keys >= 64 px high). */
int ui_keyboard_height(int width, int avail_h);
/* Adds the keys into area. space_label and done_label are shown on the
 * space bar and the enter key. */
void ui_keyboard_build(struct ui *ui, const struct ui_keyboard *kb, const struct ui_field *f,
                       struct ui_rect area, int action, const char *space_label,
                       const char *done_label);
enum ui_key_result ui_keyboard_press(struct ui_keyboard *kb, struct ui_field *f, int arg);

/* The PIN pad: 1-9, clear, 0, OK in a 3 x 4 grid. */
#define UI_PIN_CLEAR 10
#define UI_PIN_OK    11
void ui_pinpad_build(struct ui *ui, struct ui_rect area, int action, const char *clear_label,
                     const char *ok_label);
enum ui_key_result ui_pinpad_press(struct ui_field *f, int arg);

#endif
