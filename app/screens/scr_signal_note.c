/*
 * scr_signal_note.c - the note of a signal, and names staying out of it.
 *
 * The person types the note as she likes ("Tess eet alleen droge
 * crackers"). When she confirms it, the store turns each child's first name
 * into a code for the coach, and a card lists each replacement plainly with
 * "Ongedaan maken" (Roos and Ben are also words), and warns gently about a
 * colleague's name. The 280 characters count what she typed.
 */
#include "app_int.h"
#include <string.h>

void scr_signal_note_reset(struct app *a)
{
    a->note_typed[0] = '\0';
    a->nnote_keep = 0;
    free(a->note_names);
    a->note_names = NULL;
    a->nnote_names = 0;
    if (a->overlay == OV_NAMES)
        a->overlay = OV_NONE;
}

static bool is_kept(struct app *a, const char *name)
{
    for (int i = 0; i < a->nnote_keep; i++)
        if (vp_str_eq(a->note_keep[i], name))
            return true;
    return false;
}

/* Stores what she typed as the signal's note, minus the names. */
static vp_result store_note(struct app *a)
{
    const char *keep[VP_NOTE_MAX_TOKENS];
    vp_result res;
    for (int i = 0; i < a->nnote_keep; i++)
        keep[i] = a->note_keep[i];
    res = devstore_note_encode(a->db, a->note_typed, a->child.id, keep, (size_t)a->nnote_keep,
                               a->cur.note, sizeof(a->cur.note));
    if (res == VP_ERR_INVALID) {
        app_toast(a, T("signal.note_too_many"), false, 6000);
        return res;
    }
    if (res) {
        app_error(a, res);
        return res;
    }
    scr_signal_amend(a);
    return VP_OK;
}

static void on_note(struct app *a)
{
    free(a->note_names);
    a->note_names = NULL;
    a->nnote_names = 0;
    if (store_note(a) != VP_OK)
        return;
    if (devstore_note_names(a->db, a->note_typed, a->child.id, &a->note_names, &a->nnote_names) ==
            VP_OK &&
        a->nnote_names > 0)
        a->overlay = OV_NAMES;
}

void scr_signal_note_open(struct app *a)
{
    /* what she typed, or the stored note with the names shown again */
    if (!a->note_typed[0] && a->cur.note[0])
        devstore_note_decode(a->db, a->cur.note, a->note_typed, sizeof(a->note_typed));
    app_edit_open(a, T("signal.extra.note_title"), T("signal.note_hint"), a->note_typed,
                  sizeof(a->note_typed), VP_NOTE_MAX_CHARS, false, on_note);
}

/* "Ongedaan maken" on one replacement keeps that name; "Toch een code"
 * makes it a code again. */
static void toggle(struct app *a, int i)
{
    const char *name;
    if (i < 0 || (size_t)i >= a->nnote_names || !a->note_names[i].child_id[0])
        return;
    name = a->note_names[i].name;
    if (is_kept(a, name)) {
        for (int k = 0; k < a->nnote_keep; k++)
            if (vp_str_eq(a->note_keep[k], name)) {
                a->nnote_keep--;
                memmove(a->note_keep[k], a->note_keep[k + 1],
                        (size_t)(a->nnote_keep - k) * sizeof(a->note_keep[0]));
                break;
            }
    } else if (a->nnote_keep < VP_NOTE_MAX_TOKENS) {
        vp_strlcpy(a->note_keep[a->nnote_keep++], name, sizeof(a->note_keep[0]));
    }
    store_note(a);
}

void scr_signal_names_action(struct app *a, int action, int arg)
{
    if (action == A_NAME)
        toggle(a, arg);
    else if (action == A_CLOSE)
        a->overlay = OV_NONE;
}

#define ROW_H 76

void scr_signal_names_build(struct app *a)
{
    struct ui *ui = a->ui;
    int w = ui_width(ui), h = ui_height(ui), cw = w < 860 ? w - 40 : 820;
    int ch = 20 + 60 + (int)a->nnote_names * ROW_H + 16 + 64 + 28, x = (w - cw) / 2;
    int y = (h - ch) / 2, bw = 260;
    if (y < 8)
        y = 8;
    ui_block(ui, UI_RGBA(0x1E1E1E, 0x80));
    ui_card(ui, (struct ui_rect){ x, y, cw, ch }, UI_C_SURFACE, 16);
    ui_text_in(ui, (struct ui_rect){ x + 28, y + 20, cw - 56, 52 }, UI_F_HEAD | UI_BOLD, UI_C_INK,
               UI_LEFT, T("names.title"));
    y += 20 + 60;
    for (size_t i = 0; i < a->nnote_names; i++) {
        const struct dev_note_name *nm = &a->note_names[i];
        bool child = nm->child_id[0] != '\0', kept = child && is_kept(a, nm->name);
        struct vp_buf b = VP_BUF_INIT;
        int tw = child ? cw - 56 - bw - 16 : cw - 56;
        vp_tr_fmt(&b,
                  child ? (kept ? "kiosk.names.kept" : "kiosk.names.child") : "kiosk.names.staff",
                  "name", nm->name, NULL);
        ui_text_wrap(ui, (struct ui_rect){ x + 28, y + 6, tw, 0 }, UI_F_BODY,
                     child ? UI_C_INK : UI_C_INK2, b.data, 2);
        if (child)
            ui_button(ui, (struct ui_rect){ x + cw - 28 - bw, y, bw, 64 }, &st_outline, A_NAME,
                      (int)i, kept ? T("names.redo") : T("undo"), UI_CENTER);
        vp_buf_release(&b);
        y += ROW_H;
    }
    ui_button(ui, (struct ui_rect){ x + cw - 28 - 200, y + 16, 200, 64 }, &st_primary, A_CLOSE, 0,
              T("names.ok"), UI_CENTER);
}
