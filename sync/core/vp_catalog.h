/*
 * vp_catalog.h - the signal catalog: domains and the signals in them.
 *
 * Codes ("TAAL-02") are stable forever; labels may be edited and each edit is
 * a new catalog version, sent by the central service to the tablets. The
 * default catalog (assets/catalog/catalog.json) is compiled in.
 *
 * A struct vp_catalog is caller-owned: fill it with vp_catalog_parse() or
 * vp_catalog_load_default(), free its contents with vp_catalog_release().
 */
#ifndef VP_CATALOG_H
#define VP_CATALOG_H
#include "vp_i18n.h"
#include "vp_json.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VP_CODE_LEN 16

struct vp_signal {
    char code[VP_CODE_LEN];
    char *label[2]; /* indexed by enum vp_lang */
    bool red_flag;  /* defaults to level 3 on the tablet */
};

struct vp_domain {
    char code[VP_CODE_LEN];
    char *label[2];       /* full name, by enum vp_lang */
    char *short_label[2]; /* fits a tile */
    uint32_t tint;        /* 0xRRGGBB soft background */
    uint32_t stripe;      /* 0xRRGGBB strong accent */
    struct vp_signal *signals;
    size_t nsignals;
};

struct vp_catalog {
    int64_t version;
    struct vp_domain *domains;
    size_t ndomains;
};

/* Parses and validates catalog JSON: unique codes of the form DOMAIN-NN,
 * non-empty labels, colours as #RRGGBB. On error returns VP_ERR_INVALID,
 * fills err, and leaves *out empty. */
vp_result vp_catalog_parse(const char *json, size_t len, struct vp_catalog *out,
                           struct vp_json_err *err);
vp_result vp_catalog_load_default(struct vp_catalog *out);
void vp_catalog_release(struct vp_catalog *cat);

/* The compiled-in default catalog text. */
const char *vp_catalog_default_json(size_t *len);

/* Finds a signal by code; NULL if unknown. *domain (optional) is set too. */
const struct vp_signal *vp_catalog_find(const struct vp_catalog *cat, const char *code,
                                        const struct vp_domain **domain);
size_t vp_catalog_signal_count(const struct vp_catalog *cat);

#endif
