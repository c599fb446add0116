/*
 * app_int.h - what the kiosk's screens share: the screen model, the named
 * actions, styles, layout metrics and small helpers. Not for app/kiosk.
 */
#ifndef APP_INT_H
#define APP_INT_H
#include "app.h"
#include "ui_keys.h"
#include "vp_core.h"

/* Every user-facing string: assets/i18n/LANG/kiosk.txt. */
#define T(key) vp_tr("kiosk." key)

enum screen { SCR_FIRST, SCR_LOCK, SCR_CHILDREN, SCR_CHILD, SCR_SIGNAL, SCR_SYNC, SCR_ADMIN };
enum overlay { OV_NONE, OV_SAFETY, OV_EDIT, OV_CHOICE, OV_CONFIRM, OV_NAMES, OV_READ };

/* Named actions (the arg says which item). */
enum act {
    A_NONE,
    A_KEY,       /* on-screen keyboard key */
    A_PIN,       /* PIN pad key */
    A_BACK,      /* header back */
    A_LOCK,      /* lock the tablet */
    A_SWITCH,    /* another staff member */
    A_ADMIN,     /* open Beheer */
    A_SYNCSCR,   /* open Synchronisatie */
    A_SAFETY,    /* "Zorg over veiligheid?" */
    A_CLOSE,     /* close an overlay */
    A_STAFF,     /* lock: a staff tile */
    A_OTHERNAME, /* lock: pick another name */
    A_PAGE,      /* next/previous page (arg +1/-1) */
    A_TAB,       /* children: group tab */
    A_CHILD,     /* children: a child tile */
    A_NEWSIG,    /* child: "Nieuw signaal" */
    A_READ,      /* child: mark advice read */
    A_DOMAIN,    /* signal: a domain tile */
    A_CHIP,      /* signal: a signal chip */
    A_UNDO,      /* signal: "Ongedaan maken" */
    A_LEVEL,     /* signal: level 1-3 */
    A_EXTRA,     /* signal: how often, situation, parents, note, coach */
    A_DONE,      /* signal: "Klaar" */
    A_DOMAINS,   /* signal (compact): back to the domains */
    A_CHOICE,    /* choice overlay: option */
    A_YES,       /* confirm overlay */
    A_NO,
    A_EDITOK, /* edit overlay: accept */
    A_SYNCNOW,
    A_FIRST,      /* first start: buttons (arg says which) */
    A_ADMTAB,     /* admin: section */
    A_ADMITEM,    /* admin: a row */
    A_ADMADD,     /* admin: add */
    A_FORM,       /* admin form: a field or button (arg) */
    A_SHOWARCH,   /* admin: show archived */
    A_NAME,       /* names in a note: keep this name / make it a code again */
    A_MOREGROUPS, /* children: the groups that have no tab */
    A_READALL,    /* child: read the whole advice */
    A_EXTRASVIEW, /* signal (compact): from the chips to the extras */
    A_COUNT
};

enum extra { EX_FREQ, EX_SIT, EX_PARENTS, EX_NOTE, EX_COACH, EX_COUNT };
enum admin_tab { AT_CHILDREN, AT_GROUPS, AT_STAFF, AT_DEVICE, AT_SETTINGS, AT_COUNT };

/* Layout metrics (logical px). */
#define M_HEAD   72
#define M_FOOT   84
#define M_MARGIN 28
#define M_GAP    16
#define M_TILE_H 112

typedef void (*app_done_fn)(struct app *a);
typedef void (*app_choice_fn)(struct app *a, int index);
typedef void (*app_confirm_fn)(struct app *a, bool yes);

#define APP_MAX_CHOICES 64
#define APP_MSG         300

struct admin_form {
    int kind; /* 0 none, 1 child, 2 group, 3 staff, 4 enrol */
    bool is_new;
    char id[VP_UUID_LEN];
    char name[VP_TEXT_BYTES(VP_NAME_MAX_CHARS)];
    char extra[DEV_URL_MAX]; /* group id of a child; server url */
    char code[64];           /* enrolment code */
    int year, month;         /* birth month */
    enum vp_role role;
    char pin[DEV_PIN_MAX + 1];
    bool archived;
};

struct app {
    struct ui *ui;
    struct devstore *db;
    struct app_hooks hooks;
    enum screen screen;
    enum overlay overlay;
    bool dirty;
    int64_t last_input;   /* vp_mono_ms() of the last touch or key */
    int64_t autolock_ms;  /* from the setting */
    int64_t clock_minute; /* minute shown in the header clock */
    int page;

    /* this device and the sync state */
    struct dev_device dev;
    char location[VP_TEXT_BYTES(80)];
    struct dev_outbox_stats stats;
    struct dev_sync_state sst;
    int64_t settle_at; /* wall-clock ms when the next held signal settles, 0 none */
    struct vp_catalog cat;

    /* the staff member using the tablet */
    bool unlocked;
    struct dev_staff me;

    /* lock screen */
    struct dev_staff *staff;
    size_t nstaff;
    int lock_sel; /* index into staff, -1 none */
    struct ui_field pin;
    char lock_msg[APP_MSG];
    int64_t lock_until; /* wall-clock ms of the selected member's lockout */

    /* children */
    struct dev_group *groups;
    size_t ngroups;
    int group_idx;
    char group_id[VP_UUID_LEN];
    struct dev_child *kids;
    size_t nkids;

    /* one child */
    struct dev_child child;
    struct dev_obs_item *obs;
    size_t nobs;
    struct dev_advice *adv;
    size_t nadv;
    struct vp_case kase;
    bool have_case;

    /* new signal */
    int domain;        /* -1: none chosen (compact layout) */
    bool saved;        /* cur is stored as saved_id */
    bool level_chosen; /* the level was set by hand */
    bool sig_extras;   /* compact layout: the extras instead of the chips */
    struct vp_observation cur;
    char saved_id[VP_UUID_LEN];
    int64_t toast_until; /* mono ms; 0 = no toast */
    bool toast_undo;     /* the toast offers "Ongedaan maken" */
    char toast[APP_MSG];
    char sig_msg[APP_MSG];
    /* its note: what she typed, the names she chose to keep, the names found */
    char note_typed[VP_TEXT_BYTES(VP_NOTE_MAX_CHARS)];
    char note_keep[VP_NOTE_MAX_TOKENS][VP_TEXT_BYTES(VP_NAME_MAX_CHARS)];
    int nnote_keep;
    struct dev_note_name *note_names;
    size_t nnote_names;
    double last_save_ms;
    double save_ms[64]; /* benchmarks: the last saves, tap to commit */
    int nsaves;

    /* sync screen */
    struct dev_quarantined *quar;
    size_t nquar;
    char sync_msg[APP_MSG];

    /* overlays */
    struct ui_field edit;
    struct ui_keyboard kb;
    bool edit_pin;  /* PIN pad instead of the keyboard, masked */
    bool edit_full; /* the last key did not fit: say so */
    char edit_title[APP_MSG];
    char edit_hint[APP_MSG];
    char *edit_target;
    size_t edit_size;
    app_done_fn edit_done;
    char choice_title[APP_MSG];
    const char *choice[APP_MAX_CHOICES];
    int nchoice, choice_sel, choice_page;
    app_choice_fn choice_done;
    char confirm_title[APP_MSG], confirm_text[APP_MSG * 2];
    const char *confirm_yes, *confirm_no;
    app_confirm_fn confirm_done;
    char reader_title[APP_MSG];
    char reader_text[VP_TEXT_BYTES(2000)];
    int reader_page;
    int reader_read; /* an A_READ arg for "Gelezen", or -1 */

    /* first start and admin */
    int first_stage; /* 0 enrol, 1 busy, 2 first manager */
    char first_url[DEV_URL_MAX], first_code[64], first_msg[APP_MSG];
    char first_name[VP_TEXT_BYTES(VP_NAME_MAX_CHARS)], first_pin[8], first_pin2[8];
    enum admin_tab admin_tab;
    bool show_archived;
    struct admin_form form;
    char admin_msg[APP_MSG];
    char admin_focus[VP_UUID_LEN]; /* the list opens on the page of this one */
    struct dev_child *adm_kids;
    size_t nadm_kids;
    struct dev_group *adm_groups;
    size_t nadm_groups;
    struct dev_staff *adm_staff;
    size_t nadm_staff;
};

/* ---- app.c ---- */
void app_go(struct app *a, enum screen s);
void app_lock(struct app *a);
void app_refresh_status(struct app *a);
void app_wake_sync(struct app *a);
/* A signal was written and waits to settle: refresh the status line and
 * let the worker know when it is due. */
void app_settle_changed(struct app *a);
/* Settles every held signal (screen left, lock, "Nu synchroniseren") and
 * wakes the worker if that gave it something to send. */
void app_settle_all(struct app *a);
void app_toast(struct app *a, const char *text, bool undo, int64_t ms);
/* Removes a toast that offers "Ongedaan maken" (it belongs to its screen). */
void app_toast_clear_undo(struct app *a);
/* Shows a store error in one plain sentence (as a toast). */
void app_error(struct app *a, vp_result res);

/* ---- app_common.c: styles, header, footer, formatting ---- */
extern const struct ui_style st_primary, st_outline, st_tile, st_chip, st_chip_on, st_safety,
    st_link, st_tab, st_tab_on, st_danger;
void app_header(struct app *a, const char *title, bool back, bool who);
void app_footer(struct app *a, bool safety, const char *button, int action);
/* ---- app_status.c: the bottom line ---- */
enum app_line_kind { AL_REVOKED, AL_NOT_ENROLLED, AL_QUIET, AL_HELD, AL_WAITING, AL_SENT };
struct app_line {
    enum app_line_kind kind;
    char text[APP_MSG]; /* "1 signaal wacht op verbinding" */
    char hint[APP_MSG]; /* what to do, "" if nothing */
    ui_color dot;
};
/* The most important thing about sending now (see app_status.c). */
void app_bottom_line(struct app *a, struct app_line *out);
/* Revoked: the centre refused this tablet's token; it was enrolled. */
bool app_revoked(const struct app *a);
/* Days since the last successful sync when more than three, else 0. */
int app_quiet_days(const struct app *a);
/* The bottom line in r (tappable: opens Synchronisatie). */
void app_sync_line(struct app *a, struct ui_rect r, bool tappable);
/* "2 jaar, 4 mnd" */
void app_age_text(const char *birth_month, int64_t now_ms, char *out, size_t size);
/* "vandaag 09:12", "gisteren 14:03", "12 nov" */
void app_when_text(int64_t ms, int64_t now_ms, char *out, size_t size);
/* "dinsdag 24 november · 09:14" */
void app_clock_text(int64_t ms, char *out, size_t size);
/* "over 2 uur", "5 min geleden" style age of a moment */
void app_ago_text(int64_t ms, int64_t now_ms, char *out, size_t size);
const char *app_level_label(int level);
ui_color app_level_color(int level);
const char *app_signal_label(struct app *a, const char *code);
/* A page of n items: sets *first and *count for page a->page. Adds pager
 * buttons in r (right-aligned: previous, "2 / 4", next) when needed; r
 * must be app_pager_width() wide. */
int app_pager_width(struct app *a);
void app_pager(struct app *a, struct ui_rect r, size_t n, size_t per_page, size_t *first,
               size_t *count);

/* ---- app_edit.c: overlays ---- */
void app_edit_open(struct app *a, const char *title, const char *hint, char *target, size_t size,
                   size_t max_chars, bool pin, app_done_fn done);
void app_choice_open(struct app *a, const char *title, const char *const *items, int n,
                     int selected, app_choice_fn done);
void app_confirm_open(struct app *a, const char *title, const char *text, const char *yes,
                      const char *no, app_confirm_fn done);
void app_overlay_build(struct app *a);
/* A long text (the coach's advice) to read in full, paged with taps. */
void app_reader_open(struct app *a, const char *title, const char *text, int read_arg);
/* The toast in r (the footer's bottom-line place). */
void app_toast_build(struct app *a, struct ui_rect r);
/* A form field: its label above a box with the value; tapping the box
 * (script label: the field's label) sends action/arg. Height 96. */
void app_field(struct app *a, struct ui_rect r, const char *label, const char *value, bool masked,
               int action, int arg);
bool app_overlay_action(struct app *a, int action, int arg);
bool app_overlay_key(struct app *a, const SDL_Event *ev);

/* ---- screens: enter (load from the store), build, action, key ---- */
#define SCREEN_FNS(name)                                                                           \
    void scr_##name##_enter(struct app *a);                                                        \
    void scr_##name##_build(struct app *a);                                                        \
    void scr_##name##_action(struct app *a, int action, int arg)
SCREEN_FNS(first);
SCREEN_FNS(lock);
SCREEN_FNS(children);
SCREEN_FNS(child);
SCREEN_FNS(signal);
SCREEN_FNS(sync);
SCREEN_FNS(admin);
bool scr_lock_key(struct app *a, const SDL_Event *ev);
void scr_lock_tick(struct app *a);
void scr_first_sync(struct app *a, const struct app_sync_note *note);
void scr_signal_extras_build(struct app *a, struct ui_rect r);
int scr_signal_extras_height(struct app *a, int w);
void scr_signal_extra(struct app *a, int which);
void scr_signal_amend(struct app *a);
/* scr_signal_note.c: the note and the names in it */
void scr_signal_note_open(struct app *a);
void scr_signal_note_reset(struct app *a);
void scr_signal_names_build(struct app *a);
void scr_signal_names_action(struct app *a, int action, int arg);
void scr_admin_form_build(struct app *a, struct ui_rect r);
const char *scr_admin_form_title(struct app *a);
void scr_admin_form_action(struct app *a, int arg);
void scr_admin_open_form(struct app *a, int kind, int index);

#endif
