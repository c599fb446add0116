/*
 * test_ui.c - the touch rules of the UI layer, on SDL's offscreen driver:
 * act on release inside the pressed control, slide-off cancels, mouse and
 * finger take one path, emulated mouse events from touch never act twice,
 * a modal blocks what lies under it, text lookup for scripts, a double tap
 * on a control counts once (keys excepted).
 */
#include "ui.h"
#include <string.h>
#include "ui_keys.h"
#include "vp_core.h"
#include "vp_test.h"

static struct ui *ui;
static const struct ui_style st = { UI_C_SURFACE, UI_C_PRIMARY, UI_C_INK, 2, 14, UI_F_BODY, false };

static void frame(bool modal)
{
    vp_time_advance(UI_DOUBLE_TAP_MS + 1); /* each test starts well after the last tap */
    ui_begin(ui, UI_C_BG);
    ui_button(ui, (struct ui_rect){ 100, 100, 200, 80 }, &st, 7, 1, "Opslaan", UI_CENTER);
    ui_button(ui, (struct ui_rect){ 400, 100, 200, 80 }, &st, 7, 2, "Annuleren", UI_CENTER);
    if (modal) {
        ui_block(ui, UI_RGBA(0x000000, 0x80));
        ui_button(ui, (struct ui_rect){ 100, 300, 200, 80 }, &st, 8, 0, "Sluiten", UI_CENTER);
    }
    ui_render(ui);
}

static void finger(Uint32 type, int x, int y)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = type;
    ev.tfinger.fingerId = 3;
    ev.tfinger.x = ((float)x + 0.5f) / (float)ui_width(ui);
    ev.tfinger.y = ((float)y + 0.5f) / (float)ui_height(ui);
    ui_handle_event(ui, &ev);
}

static void mouse(Uint32 type, int x, int y, Uint32 which)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = type;
    ev.button.which = which;
    ev.button.button = SDL_BUTTON_LEFT;
    ev.button.x = x;
    ev.button.y = y;
    if (type == SDL_MOUSEMOTION) {
        ev.motion.x = x;
        ev.motion.y = y;
        ev.motion.which = which;
    }
    ui_handle_event(ui, &ev);
}

static int count_actions(int *last_arg)
{
    int action, arg, n = 0;
    while (ui_next_action(ui, &action, &arg)) {
        n++;
        *last_arg = arg;
    }
    return n;
}

static void test_release_inside_acts_once(void)
{
    int arg = 0;
    frame(false);
    finger(SDL_FINGERDOWN, 150, 120);
    CHECK_INT_EQ(count_actions(&arg), 0); /* nothing on the way down */
    finger(SDL_FINGERUP, 160, 130);
    CHECK_INT_EQ(count_actions(&arg), 1);
    CHECK_INT_EQ(arg, 1);
}

static void test_slide_off_cancels(void)
{
    int arg = 0;
    frame(false);
    finger(SDL_FINGERDOWN, 150, 120);
    finger(SDL_FINGERMOTION, 350, 120); /* off the control */
    finger(SDL_FINGERMOTION, 150, 120); /* and back: still cancelled */
    finger(SDL_FINGERUP, 150, 120);
    CHECK_INT_EQ(count_actions(&arg), 0);
}

static void test_release_on_other_control_does_nothing(void)
{
    int arg = 0;
    frame(false);
    mouse(SDL_MOUSEBUTTONDOWN, 150, 120, 0);
    mouse(SDL_MOUSEBUTTONUP, 450, 120, 0);
    CHECK_INT_EQ(count_actions(&arg), 0);
}

static void test_mouse_takes_the_same_path(void)
{
    int arg = 0;
    frame(false);
    mouse(SDL_MOUSEBUTTONDOWN, 450, 120, 0);
    mouse(SDL_MOUSEBUTTONUP, 450, 120, 0);
    CHECK_INT_EQ(count_actions(&arg), 1);
    CHECK_INT_EQ(arg, 2);
}

static void test_touch_emulated_mouse_never_acts_twice(void)
{
    int arg = 0;
    frame(false);
    finger(SDL_FINGERDOWN, 150, 120);
    mouse(SDL_MOUSEBUTTONDOWN, 150, 120, SDL_TOUCH_MOUSEID);
    finger(SDL_FINGERUP, 150, 120);
    mouse(SDL_MOUSEBUTTONUP, 150, 120, SDL_TOUCH_MOUSEID);
    CHECK_INT_EQ(count_actions(&arg), 1);
}

static void test_no_hover(void)
{
    SDL_Event ev;
    frame(false);
    memset(&ev, 0, sizeof(ev));
    ev.type = SDL_MOUSEMOTION;
    ev.motion.x = 150;
    ev.motion.y = 120;
    CHECK(!ui_handle_event(ui, &ev)); /* moving over a control changes nothing */
}

static void test_modal_blocks_what_is_under_it(void)
{
    int arg = 0;
    struct ui_found f;
    frame(true);
    finger(SDL_FINGERDOWN, 150, 120);
    finger(SDL_FINGERUP, 150, 120);
    CHECK_INT_EQ(count_actions(&arg), 0);
    ui_find_control(ui, "Opslaan", &f);
    CHECK_INT_EQ(f.count, 0);
    ui_find_control(ui, "Sluiten", &f);
    CHECK_INT_EQ(f.count, 1);
    CHECK(ui_text_visible(ui, "Sluiten"));
}

static void tap(int x, int y)
{
    finger(SDL_FINGERDOWN, x, y);
    finger(SDL_FINGERUP, x, y);
}

static void test_double_tap_on_a_control_acts_once(void)
{
    int arg = 0;
    frame(false);
    tap(150, 120);
    vp_time_advance(80);
    tap(150, 120);
    CHECK_INT_EQ(count_actions(&arg), 1);
    vp_time_advance(300); /* still within 400 ms of the tap that counted */
    tap(150, 120);
    CHECK_INT_EQ(count_actions(&arg), 0);
}

static void test_taps_further_apart_act_each_time(void)
{
    int arg = 0;
    frame(false);
    tap(150, 120);
    vp_time_advance(UI_DOUBLE_TAP_MS);
    tap(150, 120);
    CHECK_INT_EQ(count_actions(&arg), 2);
}

static void test_quick_taps_on_two_controls_both_act(void)
{
    int arg = 0;
    frame(false);
    tap(150, 120);
    vp_time_advance(80);
    tap(450, 120);
    CHECK_INT_EQ(count_actions(&arg), 2);
    CHECK_INT_EQ(arg, 2);
}

static void test_pin_and_keyboard_keys_repeat_at_once(void)
{
    struct ui_keyboard kb = { false, false, false };
    struct ui_field f;
    struct ui_found k;
    int arg = 0;
    vp_time_advance(UI_DOUBLE_TAP_MS + 1);
    ui_begin(ui, UI_C_BG);
    ui_pinpad_build(ui, (struct ui_rect){ 400, 100, 480, 300 }, 9, "Wissen", "OK");
    ui_render(ui);
    ui_find_key(ui, "1", &k);
    CHECK_INT_EQ(k.count, 1);
    tap(k.rect.x + 5, k.rect.y + 5); /* "1122" */
    tap(k.rect.x + 5, k.rect.y + 5);
    CHECK_INT_EQ(count_actions(&arg), 2);
    ui_field_set(&f, "", 40, false);
    ui_begin(ui, UI_C_BG);
    ui_keyboard_build(ui, &kb, &f, (struct ui_rect){ 20, 300, 1200, 400 }, 9, "spatie", "Klaar");
    ui_render(ui);
    ui_find_key(ui, "a", &k); /* "Daan" */
    CHECK_INT_EQ(k.count, 1);
    tap(k.rect.x + 5, k.rect.y + 5);
    tap(k.rect.x + 5, k.rect.y + 5);
    CHECK_INT_EQ(count_actions(&arg), 2);
}

static void test_keyboard_types_dutch_letters(void)
{
    struct ui_keyboard kb = { false, true, false };
    struct ui_field f;
    struct ui_found k;
    ui_field_set(&f, "", 40, false);
    ui_begin(ui, UI_C_BG);
    ui_keyboard_build(ui, &kb, &f, (struct ui_rect){ 20, 300, 1200, 400 }, 9, "spatie", "Klaar");
    ui_find_key(ui, "Z", &k); /* auto capital on an empty field */
    CHECK_INT_EQ(k.count, 1);
    ui_find_key(ui, "\xC3\x8B", &k); /* Ë */
    CHECK_INT_EQ(k.count, 1);
    CHECK(ui_field_append(&f, "Zo"));
    CHECK(ui_field_append(&f, "\xC3\xAB"));
    CHECK_STR_EQ(f.text, "Zo\xC3\xAB");
    ui_field_backspace(&f);
    CHECK_STR_EQ(f.text, "Zo");
}

/* Issue 11: a cursor that moves by characters, backspace before it, typing
 * in the middle. */
static void test_field_cursor_edits_in_the_middle(void)
{
    struct ui_field f;
    ui_field_set(&f, "https:/127.0.0.1", 0, false);
    CHECK_INT_EQ((int)f.cursor, (int)strlen(f.text));
    for (int i = 0; i < 9; i++)
        ui_field_move(&f, -1);
    CHECK(ui_field_append(&f, "/"));
    CHECK_STR_EQ(f.text, "https://127.0.0.1");
    f.cursor = 0;
    ui_field_move(&f, -1); /* stays at the start */
    CHECK_INT_EQ((int)f.cursor, 0);
    ui_field_set(&f, "Zo\xC3\xAB!", 0, false);
    ui_field_move(&f, -1);
    ui_field_backspace(&f); /* a two-byte character goes whole */
    CHECK_STR_EQ(f.text, "Zo!");
    CHECK_INT_EQ((int)f.cursor, 2);
    ui_field_move(&f, 1);
    ui_field_move(&f, 1); /* stays at the end */
    CHECK_INT_EQ((int)f.cursor, 3);
}

/* Issue 11: the keyboard has , ? ! ( ) and the cursor keys. */
static void test_keyboard_has_punctuation_and_cursor_keys(void)
{
    struct ui_keyboard kb = { false, false, false };
    struct ui_field f;
    struct ui_found k;
    const char *want[] = { ",", ".", "?", "!", "(", ")", ":", "/", "@", "\xE2\x82\xAC" };
    ui_field_set(&f, "", 40, false);
    ui_begin(ui, UI_C_BG);
    ui_keyboard_build(ui, &kb, &f, (struct ui_rect){ 28, 300, 744, 336 }, 9, "spatie", "Klaar");
    ui_find_control(ui, "\xE2\x97\x80", &k);
    CHECK_INT_EQ(k.count, 1);
    CHECK(k.rect.w >= UI_TARGET_MIN && k.rect.h >= UI_TARGET_MIN); /* at 800 px wide */
    ui_find_key(ui, ",", &k);
    CHECK_INT_EQ(k.count, 1);
    kb.symbols = true;
    ui_begin(ui, UI_C_BG);
    ui_keyboard_build(ui, &kb, &f, (struct ui_rect){ 28, 300, 744, 336 }, 9, "spatie", "Klaar");
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        ui_find_key(ui, want[i], &k);
        if (k.count != 1)
            fprintf(stderr, "  no key for %s\n", want[i]);
        CHECK_INT_EQ(k.count, 1);
    }
}

/* Issue 11: the PIN pad's back key takes one digit; a 7th digit is not
 * dropped silently. */
static void test_pinpad_back_takes_one_digit_and_a_seventh_is_refused(void)
{
    struct ui_field f;
    ui_field_set(&f, "", 6, true);
    for (int d = 1; d <= 6; d++)
        CHECK_INT_EQ(ui_pinpad_press(&f, d), UI_KEY_CHANGED);
    CHECK_INT_EQ(ui_pinpad_press(&f, 7), UI_KEY_FULL);
    CHECK_STR_EQ(f.text, "123456");
    CHECK_INT_EQ(ui_pinpad_press(&f, UI_PIN_BACK), UI_KEY_CHANGED);
    CHECK_STR_EQ(f.text, "12345");
}

int main(void)
{
    char err[256];
    struct ui_options o = { 1280, 800, false, false, true, NULL, "test" };
    vp_core_init();
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    ui = ui_create(&o, err, sizeof(err));
    if (!ui) {
        fprintf(stderr, "no UI: %s\n", err);
        return 1;
    }
    VP_TEST(test_release_inside_acts_once);
    VP_TEST(test_slide_off_cancels);
    VP_TEST(test_release_on_other_control_does_nothing);
    VP_TEST(test_mouse_takes_the_same_path);
    VP_TEST(test_touch_emulated_mouse_never_acts_twice);
    VP_TEST(test_no_hover);
    VP_TEST(test_modal_blocks_what_is_under_it);
    VP_TEST(test_keyboard_types_dutch_letters);
    VP_TEST(test_double_tap_on_a_control_acts_once);
    VP_TEST(test_taps_further_apart_act_each_time);
    VP_TEST(test_quick_taps_on_two_controls_both_act);
    VP_TEST(test_pin_and_keyboard_keys_repeat_at_once);
    VP_TEST(test_field_cursor_edits_in_the_middle);
    VP_TEST(test_keyboard_has_punctuation_and_cursor_keys);
    VP_TEST(test_pinpad_back_takes_one_digit_and_a_seventh_is_refused);
    ui_destroy(ui);
    return vp_test_done();
}
