#include "vp_catalog.h"
#include "vp_alloc.h"
#include "vp_str.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const unsigned char vp_asset_catalog[];
extern const size_t vp_asset_catalog_len;

const char *vp_catalog_default_json(size_t *len)
{
    if (len)
        *len = vp_asset_catalog_len;
    return (const char *)vp_asset_catalog;
}

void vp_catalog_release(struct vp_catalog *cat)
{
    for (size_t d = 0; d < cat->ndomains; d++) {
        struct vp_domain *dom = &cat->domains[d];
        for (size_t s = 0; s < dom->nsignals; s++) {
            free(dom->signals[s].label[0]);
            free(dom->signals[s].label[1]);
        }
        free(dom->signals);
        for (int l = 0; l < 2; l++) {
            free(dom->label[l]);
            free(dom->short_label[l]);
        }
    }
    free(cat->domains);
    memset(cat, 0, sizeof(*cat));
}

static bool parse_color(const char *s, uint32_t *out)
{
    unsigned v = 0;
    if (strlen(s) != 7 || s[0] != '#')
        return false;
    for (int i = 1; i < 7; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                       : -1;
        if (d < 0)
            return false;
        v = v << 4 | (unsigned)d;
    }
    *out = v;
    return true;
}

/* DOMAIN-NN where DOMAIN is the domain's code and NN two digits. */
static bool code_fits(const char *code, const char *domain)
{
    size_t n = strlen(domain);
    return strncmp(code, domain, n) == 0 && code[n] == '-' && code[n + 1] >= '0' &&
           code[n + 1] <= '9' && code[n + 2] >= '0' && code[n + 2] <= '9' && code[n + 3] == '\0';
}

static bool parse_signal(json_t *js, const char *domain, struct vp_signal *sig,
                         struct vp_json_err *err)
{
    static const char *const keys[] = { "code", "nl", "en", "red_flag", NULL };
    const char *code = NULL, *nl = NULL, *en = NULL;
    bool red = false;
    if (!vp_json_only_keys(js, keys, err) ||
        !vp_json_get_str(js, "code", true, VP_CODE_LEN - 1, &code, err) ||
        !vp_json_get_str(js, "nl", true, 80, &nl, err) ||
        !vp_json_get_str(js, "en", true, 80, &en, err) ||
        !vp_json_get_bool(js, "red_flag", false, &red, err))
        return false;
    if (!code_fits(code, domain))
        return vp_json_fail(err, "code", "must be the domain code, a dash and two digits");
    if (!*nl || !*en)
        return vp_json_fail(err, "nl", "labels must not be empty");
    vp_strlcpy(sig->code, code, sizeof(sig->code));
    sig->label[VP_LANG_NL] = vp_xstrdup(nl);
    sig->label[VP_LANG_EN] = vp_xstrdup(en);
    sig->red_flag = red;
    return true;
}

static bool parse_domain(json_t *jd, struct vp_domain *dom, struct vp_json_err *err)
{
    static const char *const keys[] = { "code", "nl",     "en",      "short_nl", "short_en",
                                        "tint", "stripe", "signals", NULL };
    const char *code = NULL, *nl = NULL, *en = NULL, *snl = NULL, *sen = NULL;
    const char *tint = "#FFFFFF", *stripe = "#2F5D62";
    json_t *sigs;
    if (!vp_json_only_keys(jd, keys, err) || !vp_json_get_str(jd, "code", true, 8, &code, err) ||
        !vp_json_get_str(jd, "nl", true, 80, &nl, err) ||
        !vp_json_get_str(jd, "en", true, 80, &en, err) ||
        !vp_json_get_str(jd, "short_nl", false, 40, &snl, err) ||
        !vp_json_get_str(jd, "short_en", false, 40, &sen, err) ||
        !vp_json_get_str(jd, "tint", false, 7, &tint, err) ||
        !vp_json_get_str(jd, "stripe", false, 7, &stripe, err))
        return false;
    if (!*code || strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(code))
        return vp_json_fail(err, "code", "domain code must be capital letters");
    if (!parse_color(tint, &dom->tint) || !parse_color(stripe, &dom->stripe))
        return vp_json_fail(err, "tint", "colours must be #RRGGBB");
    sigs = json_object_get(jd, "signals");
    if (!json_is_array(sigs) || json_array_size(sigs) == 0 || json_array_size(sigs) > 99)
        return vp_json_fail(err, "signals", "must be a list of 1 to 99 signals");
    vp_strlcpy(dom->code, code, sizeof(dom->code));
    dom->label[VP_LANG_NL] = vp_xstrdup(nl);
    dom->label[VP_LANG_EN] = vp_xstrdup(en);
    dom->short_label[VP_LANG_NL] = vp_xstrdup(snl ? snl : nl);
    dom->short_label[VP_LANG_EN] = vp_xstrdup(sen ? sen : en);
    dom->signals = vp_xcalloc(json_array_size(sigs), sizeof(struct vp_signal));
    for (size_t i = 0; i < json_array_size(sigs); i++) {
        if (!parse_signal(json_array_get(sigs, i), dom->code, &dom->signals[i], err))
            return false;
        dom->nsignals++;
    }
    return true;
}

static bool codes_unique(const struct vp_catalog *cat, struct vp_json_err *err)
{
    for (size_t d = 0; d < cat->ndomains; d++) {
        for (size_t e = d + 1; e < cat->ndomains; e++)
            if (!strcmp(cat->domains[d].code, cat->domains[e].code))
                return vp_json_fail(err, "code", "domain codes must be unique");
        for (size_t s = 0; s < cat->domains[d].nsignals; s++)
            for (size_t t = s + 1; t < cat->domains[d].nsignals; t++)
                if (!strcmp(cat->domains[d].signals[s].code, cat->domains[d].signals[t].code))
                    return vp_json_fail(err, "code", "signal codes must be unique");
    }
    return true;
}

vp_result vp_catalog_parse(const char *json, size_t len, struct vp_catalog *out,
                           struct vp_json_err *err)
{
    json_t *root = NULL, *doms;
    struct vp_catalog cat;
    bool ok = false;
    memset(&cat, 0, sizeof(cat));
    memset(out, 0, sizeof(*out));
    if (vp_json_parse(json, len, &root, err))
        return VP_ERR_INVALID;
    if (!json_is_object(root)) {
        vp_json_fail(err, "", "catalog must be an object");
        goto done;
    }
    if (!vp_json_get_int(root, "version", true, 1, INT32_MAX, &cat.version, err))
        goto done;
    doms = json_object_get(root, "domains");
    if (!json_is_array(doms) || json_array_size(doms) == 0 || json_array_size(doms) > 32) {
        vp_json_fail(err, "domains", "must be a list of 1 to 32 domains");
        goto done;
    }
    cat.domains = vp_xcalloc(json_array_size(doms), sizeof(struct vp_domain));
    for (size_t i = 0; i < json_array_size(doms); i++) {
        cat.ndomains++;
        if (!parse_domain(json_array_get(doms, i), &cat.domains[i], err))
            goto done;
    }
    ok = codes_unique(&cat, err);
done:
    json_decref(root);
    if (!ok) {
        vp_catalog_release(&cat);
        return VP_ERR_INVALID;
    }
    *out = cat;
    return VP_OK;
}

vp_result vp_catalog_load_default(struct vp_catalog *out)
{
    size_t len;
    const char *text = vp_catalog_default_json(&len);
    return vp_catalog_parse(text, len, out, NULL);
}

const struct vp_signal *vp_catalog_find(const struct vp_catalog *cat, const char *code,
                                        const struct vp_domain **domain)
{
    for (size_t d = 0; d < cat->ndomains; d++)
        for (size_t s = 0; s < cat->domains[d].nsignals; s++)
            if (!strcmp(cat->domains[d].signals[s].code, code)) {
                if (domain)
                    *domain = &cat->domains[d];
                return &cat->domains[d].signals[s];
            }
    return NULL;
}

size_t vp_catalog_signal_count(const struct vp_catalog *cat)
{
    size_t n = 0;
    for (size_t d = 0; d < cat->ndomains; d++)
        n += cat->domains[d].nsignals;
    return n;
}
