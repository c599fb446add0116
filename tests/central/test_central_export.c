/*
 * test_central_export.c - exports for the people who open them (issue 12):
 * Dutch local time whatever the process's TZ (across both summer-time
 * changes), the CSV for Dutch Excel (byte-order mark, semicolons, Dutch
 * headers and values, local times, multibyte text, no formulas), the .xlsx
 * workbook, the machine-readable CSV unchanged, the CLI's formats, and the
 * audit entry naming the format.
 */
#include "cexport.h"
#include "cfx.h"
#include "vp_alloc.h"
#include "vp_buf.h"
#include "vp_str.h"
#include "vp_test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOUR (3600LL * 1000)
/* s starts with the literal p */
#define STARTS(s, p) (!strncmp((s), (p), sizeof(p) - 1))

static int64_t at(const char *rfc3339)
{
    int64_t ms = 0;
    vp_time_parse(rfc3339, &ms);
    return ms;
}

/* "dd-mm-yyyy hh:mm" of utc_ms in Dutch local time. */
static void local_text(const char *rfc3339, char out[32])
{
    struct vp_civil v;
    cexport_local_civil(at(rfc3339), &v);
    snprintf(out, 32, "%02d-%02d-%04d %02d:%02d", v.day, v.month, v.year, v.hour, v.minute);
}

#define CHECK_LOCAL(utc, want)                                                                     \
    do {                                                                                           \
        char got_[32];                                                                             \
        local_text(utc, got_);                                                                     \
        CHECK_STR_EQ(got_, want);                                                                  \
    } while (0)

static void check_dutch_time_rule(void)
{
    /* the end of summer time, 25 October 2026: 03:00 CEST becomes 02:00 CET */
    CHECK_LOCAL("2026-10-24T21:59:00Z", "24-10-2026 23:59");
    CHECK_LOCAL("2026-10-24T22:30:00Z", "25-10-2026 00:30");
    CHECK_LOCAL("2026-10-25T00:30:00Z", "25-10-2026 02:30"); /* still summer time */
    CHECK_LOCAL("2026-10-25T00:59:59Z", "25-10-2026 02:59");
    CHECK_LOCAL("2026-10-25T01:00:00Z", "25-10-2026 02:00"); /* winter time */
    CHECK_LOCAL("2026-10-25T01:30:00Z", "25-10-2026 02:30");
    /* the start, 29 March 2026: 02:00 CET becomes 03:00 CEST */
    CHECK_LOCAL("2026-03-29T00:59:00Z", "29-03-2026 01:59");
    CHECK_LOCAL("2026-03-29T01:00:00Z", "29-03-2026 03:00");
    /* a winter evening: the local date is the next day */
    CHECK_LOCAL("2026-12-31T23:30:00Z", "01-01-2027 00:30");
    /* 2027: the last Sunday of October is the 31st, of March the 28th */
    CHECK_LOCAL("2027-10-31T00:59:00Z", "31-10-2027 02:59");
    CHECK_LOCAL("2027-10-31T01:00:00Z", "31-10-2027 02:00");
    CHECK_LOCAL("2027-03-28T01:00:00Z", "28-03-2027 03:00");
    CHECK_INT_EQ(cexport_local_offset_ms(at("2026-07-01T12:00:00Z")), 2 * HOUR);
    CHECK_INT_EQ(cexport_local_offset_ms(at("2026-01-15T12:00:00Z")), 1 * HOUR);
}

static void test_local_time_follows_amsterdam_whatever_the_tz(void)
{
    static const char *const zones[] = { "UTC", "America/New_York", "Asia/Tokyo", NULL };
    const char *old = getenv("TZ");
    char *keep = old ? vp_xstrdup(old) : NULL;
    for (int i = 0; zones[i]; i++) {
        setenv("TZ", zones[i], 1);
        tzset();
        check_dutch_time_rule();
    }
    if (keep)
        setenv("TZ", keep, 1);
    else
        unsetenv("TZ");
    tzset();
    free(keep);
}

/* The line of csv that contains needle (malloc'ed), or NULL. */
static char *line_with(const char *csv, const char *needle)
{
    const char *p = strstr(csv, needle), *b, *e;
    if (!p)
        return NULL;
    for (b = p; b > csv && b[-1] != '\n'; b--)
        ;
    e = strstr(p, "\r\n");
    return vp_xstrndup(b, e ? (size_t)(e - b) : strlen(b));
}

/* Pushes a Zorg signal of kid 0 received at when, with note. */
static struct vp_observation push_at(struct cfx *f, const char *when, const char *note)
{
    struct vp_observation o;
    f->now = at(when);
    o = cfx_obs(f, 0, 2, "TAAL-02", note);
    o.frequency = VP_FREQ_OFTEN;
    o.situation = VP_SIT_MEAL;
    o.device_time_ms = f->now - 10 * 60 * 1000;
    if (strcmp(cfx_push1(f, &o), "stored") != 0)
        fprintf(stderr, "push at %s not stored\n", when);
    return o;
}

static void console_export(struct cfx *f, enum cexport_format fmt, struct vp_buf *out)
{
    struct ccon_filter flt;
    memset(&flt, 0, sizeof(flt));
    flt.view = CCON_VIEW_ALL;
    vp_buf_reset(out);
    if (cstore_console_export_as(f->st, f->coach.id, CCON_EXPORT_SIGNALS, fmt, VP_LANG_NL, &flt,
                                 "t", f->now, out) != VP_OK)
        fprintf(stderr, "export failed\n");
}

static void test_csv_for_dutch_excel_has_bom_semicolons_dutch_words_and_local_times(void)
{
    struct cfx f;
    struct vp_buf csv = VP_BUF_INIT;
    char *row;
    setenv("TZ", "UTC", 1);
    tzset();
    cfx_open(&f);
    push_at(&f, "2026-10-25T00:30:00Z",
            "Zegt \xE2\x82\xAC en caf\xC3\xA9 \xF0\x9F\x98\x80; \"ok\"");
    push_at(&f, "2026-10-25T01:30:00Z", "=1+1 geen formule");
    console_export(&f, CEXPORT_NL_CSV, &csv);
    CHECK(!memcmp(csv.data, "\xEF\xBB\xBF", 3)); /* the BOM */
    CHECK(STARTS(csv.data + 3, "Ontvangen;Vastgelegd op de tablet;Locatie;Groep;Kindcode;"));
    CHECK(strstr(csv.data, ";Niveau;Signalen;Hoe vaak;Situatie;Ouders op de hoogte;"));
    CHECK(strstr(csv.data, ";Gezien door mij;Gearchiveerd\r\n"));
    CHECK(!strstr(csv.data, "received_at") && !strstr(csv.data, "follow_up"));
    /* summer time: 00:30Z is 02:30 local, tablet time ten minutes earlier */
    row = line_with(csv.data, "caf\xC3\xA9");
    CHECK(row && STARTS(row, "25-10-2026 02:30;25-10-2026 02:20;"));
    CHECK(row && strstr(row, ";Zorg;"));
    CHECK(row && strstr(row, ";vaker;eten;nee;geen consultatie;"));
    CHECK(row && strstr(row, ";nieuw;")); /* the case status in words */
    /* a note with ';' and '"' is one quoted field, multibyte kept */
    CHECK(row &&
          strstr(row, ";\"Zegt \xE2\x82\xAC en caf\xC3\xA9 \xF0\x9F\x98\x80; \"\"ok\"\"\";"));
    free(row);
    /* winter time: 01:30Z is 02:30 local as well, an hour later */
    row = line_with(csv.data, "geen formule");
    CHECK(row && STARTS(row, "25-10-2026 02:30;25-10-2026 02:20;"));
    CHECK(row && strstr(row, ";'=1+1 geen formule;")); /* never a formula */
    free(row);
    /* the codes stay in the machine-readable export */
    console_export(&f, CEXPORT_CODES, &csv);
    CHECK(STARTS(csv.data, "id,received_at,device_time,"));
    CHECK(strstr(csv.data, "2026-10-25T00:30:00.000Z") && strstr(csv.data, ",often,meal,"));
    vp_buf_release(&csv);
    cfx_free(&f);
}

static void test_xlsx_is_a_workbook_and_the_audit_names_the_format(void)
{
    struct cfx f;
    struct vp_buf x = VP_BUF_INIT;
    cfx_open(&f);
    push_at(&f, "2026-10-25T00:30:00Z", "caf\xC3\xA9");
    console_export(&f, CEXPORT_XLSX, &x);
    CHECK(x.len > 2000 && !memcmp(x.data, "PK\x03\x04", 4)); /* a zip: an .xlsx */
    CHECK_INT_EQ(cfx_sql_int(&f, "SELECT COUNT(*) FROM audit WHERE action = 'export_signals'"
                                 " AND detail LIKE '%format=xlsx%'"),
                 1);
    vp_buf_release(&x);
    cfx_free(&f);
}

static void test_cli_export_keeps_codes_by_default_and_speaks_dutch_on_request(void)
{
    struct cfx f;
    struct vp_buf a = VP_BUF_INIT, b = VP_BUF_INIT, c = VP_BUF_INIT;
    cfx_open(&f);
    push_at(&f, "2026-10-25T01:30:00Z", "note");
    CHECK_OK(cstore_export(f.st, NULL, CSTORE_EXPORT_SIGNALS, NULL, "cli", f.now, &a));
    CHECK(STARTS(a.data, "id,received_at,") && strstr(a.data, ",often,meal,"));
    CHECK_OK(cstore_export_as(f.st, NULL, CSTORE_EXPORT_CASES, CEXPORT_NL_CSV, VP_LANG_NL, NULL,
                              "cli", f.now, &b));
    CHECK(STARTS(b.data, "\xEF\xBB\xBFLocatie;Groep;Kindcode;Voornaam;"));
    CHECK(strstr(b.data, ";nieuw;onbekend;niet gepland;geen consultatie;"));
    CHECK(strstr(b.data, ";25-10-2026 02:30;25-10-2026 02:30;1;Zorg;"));
    CHECK_OK(cstore_export_as(f.st, NULL, CSTORE_EXPORT_SIGNALS, CEXPORT_NL_CSV, VP_LANG_EN, NULL,
                              "cli", f.now, &c));
    CHECK(STARTS(c.data, "\xEF\xBB\xBFReceived;Recorded on the tablet;"));
    CHECK(strstr(c.data, ";Concern;") && strstr(c.data, ";more often;meals;no;"));
    CHECK(!strstr(c.data, "Seen by me")); /* no coach, no marks */
    vp_buf_release(&a);
    vp_buf_release(&b);
    vp_buf_release(&c);
    cfx_free(&f);
}

static void test_a_cell_holds_a_field_as_given_or_nothing(void)
{
    struct cexport_table t;
    struct vp_buf csv = VP_BUF_INIT;
    cexport_table_init(&t, "x");
    cexport_table_col(&t, "a", 10);
    cexport_table_col(&t, "b", 10);
    cexport_table_col(&t, "c", 10);
    cexport_table_row(&t);
    cexport_put_date(&t, 0, "2026-11-25");
    cexport_put_date(&t, 1, "geen datum");
    cexport_put_time(&t, 2, "niet-een-tijd");
    cexport_csv(&t, &csv);
    CHECK_STR_EQ(csv.data, "\xEF\xBB\xBF"
                           "a;b;c\r\n25-11-2026;geen datum;\r\n");
    vp_buf_release(&csv);
    cexport_table_release(&t);
}

int main(void)
{
    VP_TEST(test_local_time_follows_amsterdam_whatever_the_tz);
    VP_TEST(test_csv_for_dutch_excel_has_bom_semicolons_dutch_words_and_local_times);
    VP_TEST(test_xlsx_is_a_workbook_and_the_audit_names_the_format);
    VP_TEST(test_cli_export_keeps_codes_by_default_and_speaks_dutch_on_request);
    VP_TEST(test_a_cell_holds_a_field_as_given_or_nothing);
    return vp_test_done();
}
