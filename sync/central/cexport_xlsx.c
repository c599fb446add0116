/*
 * cexport_xlsx.c - the export table as an .xlsx workbook with libxlsxwriter
 * (Debian's libxlsxwriter-dev). That version writes only to a file, so the
 * workbook goes to a file in a fresh private folder (0700) that is read
 * back and removed at once: personal data never stays on disk.
 */
#include "cexport.h"
#include "vp_alloc.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

struct formats {
    lxw_format *head, *time, *date, *text;
};

static void formats_make(lxw_workbook *wb, struct formats *f)
{
    f->head = workbook_add_format(wb);
    format_set_bold(f->head);
    format_set_bg_color(f->head, 0xE8EEF4);
    format_set_bottom(f->head, LXW_BORDER_THIN);
    f->time = workbook_add_format(wb);
    format_set_num_format(f->time, "dd-mm-yyyy hh:mm");
    format_set_align(f->time, LXW_ALIGN_LEFT);
    f->date = workbook_add_format(wb);
    format_set_num_format(f->date, "dd-mm-yyyy");
    format_set_align(f->date, LXW_ALIGN_LEFT);
    f->text = workbook_add_format(wb);
    format_set_text_wrap(f->text);
    format_set_align(f->text, LXW_ALIGN_VERTICAL_TOP);
}

static lxw_error write_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t col,
                            const struct cexport_cell *c, const struct formats *f)
{
    lxw_datetime dt;
    struct vp_civil v;
    switch (c->type) {
    case CEXPORT_TEXT:
        /* a string cell is never a formula, whatever its first character */
        return worksheet_write_string(ws, r, col, c->text, NULL);
    case CEXPORT_INT: return worksheet_write_number(ws, r, col, (double)c->num, NULL);
    case CEXPORT_TIME:
        cexport_local_civil(c->num, &v);
        dt = (lxw_datetime){ v.year, v.month, v.day, v.hour, v.minute, v.second };
        return worksheet_write_datetime(ws, r, col, &dt, f->time);
    case CEXPORT_DATE:
        dt = (lxw_datetime){
            (int)(c->num / 10000), (int)(c->num / 100 % 100), (int)(c->num % 100), 0, 0, 0
        };
        return worksheet_write_datetime(ws, r, col, &dt, f->date);
    case CEXPORT_EMPTY: break;
    }
    return LXW_NO_ERROR;
}

static lxw_error write_sheet(lxw_workbook *wb, const struct cexport_table *t)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, t->sheet);
    struct formats f;
    lxw_error err = LXW_NO_ERROR;
    if (!ws)
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    formats_make(wb, &f);
    for (size_t i = 0; i < t->ncols && !err; i++) {
        err = worksheet_write_string(ws, 0, (lxw_col_t)i, t->head[i], f.head);
        if (!err)
            err = worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, t->width[i],
                                       t->width[i] >= 30 ? f.text : NULL);
    }
    for (size_t r = 0; r < t->nrows && !err; r++)
        for (size_t i = 0; i < t->ncols && !err; i++)
            err = write_cell(ws, (lxw_row_t)(r + 1), (lxw_col_t)i, &t->cell[r * t->ncols + i], &f);
    if (!err && t->ncols) {
        worksheet_freeze_panes(ws, 1, 0); /* the header row stays put */
        err = worksheet_autofilter(ws, 0, 0, (lxw_row_t)t->nrows, (lxw_col_t)(t->ncols - 1));
    }
    return err;
}

static bool read_all(const char *path, struct vp_buf *out)
{
    char chunk[16384];
    size_t n, before = out->len;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false;
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        vp_buf_add(out, chunk, n);
    if (ferror(fp)) {
        out->len = before;
        out->data[before] = '\0';
        fclose(fp);
        return false;
    }
    fclose(fp);
    return true;
}

vp_result cexport_xlsx(const struct cexport_table *t, struct vp_buf *out)
{
    const char *tmp = getenv("TMPDIR");
    char dir[4096], path[4200];
    lxw_workbook_options opt = { 0 };
    lxw_workbook *wb;
    lxw_error err;
    vp_result res = VP_ERR_IO;
    snprintf(dir, sizeof(dir), "%s/vp-xlsx-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) /* 0700: only this user */
        return VP_ERR_IO;
    snprintf(path, sizeof(path), "%s/export.xlsx", dir);
    opt.tmpdir = dir;
    wb = workbook_new_opt(path, &opt);
    if (!wb)
        goto out;
    err = write_sheet(wb, t);
    if (workbook_close(wb) == LXW_NO_ERROR && !err && read_all(path, out))
        res = VP_OK;
out:
    unlink(path);
    rmdir(dir);
    return res;
}
