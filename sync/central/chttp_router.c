/*
 * chttp_router.c - the caller-owned route table: adding routes (refusing a
 * coach or admin route whose ids are not declared), matching a path
 * against the patterns, and dispatching a request to its route's authorize
 * function and handler.
 */
#include "chttp.h"
#include "vp_alloc.h"
#include "vp_log.h"
#include "vp_str.h"
#include <stdlib.h>
#include <string.h>

void chttp_router_init(struct chttp_router *r, chttp_authorize_fn authorize)
{
    memset(r, 0, sizeof(*r));
    r->authorize = authorize;
}

void chttp_router_release(struct chttp_router *r)
{
    free(r->routes);
    memset(r, 0, sizeof(*r));
}

/* Index of "{name}" among the pattern's captures, or -1. */
static int param_index(const char *pattern, const char *name, size_t len)
{
    int i = 0;
    for (const char *p = pattern; *p; p++) {
        if (*p == '*')
            i++;
        if (*p != '{')
            continue;
        if (!strncmp(p + 1, name, len) && p[1 + len] == '}')
            return i;
        i++;
    }
    return -1;
}

/* A coach or admin route declares every "{name}" it captures; a public or
 * device route declares none (a scope there would be silently ignored). */
static bool route_valid(const struct chttp_route *rt)
{
    int declared = 0;
    for (const struct chttp_scope *sc = rt->scope; sc->where != CHTTP_IN_NONE; sc++) {
        if (sc - rt->scope >= CHTTP_MAX_SCOPES || !sc->name || !sc->kind)
            return false;
        if (sc->where != CHTTP_IN_PATH)
            continue;
        if (param_index(rt->pattern, sc->name, strlen(sc->name)) < 0)
            return false;
        declared++;
    }
    if (rt->access == CHTTP_PUBLIC || rt->access == CHTTP_DEVICE)
        return rt->scope[0].where == CHTTP_IN_NONE; /* nothing to ignore */
    for (const char *p = rt->pattern; *p; p++)
        if (*p == '{' || *p == '*')
            declared--;
    return declared == 0;
}

vp_result chttp_router_add(struct chttp_router *r, const struct chttp_route *routes, size_t n,
                           const struct chttp_route **bad)
{
    for (size_t i = 0; i < n; i++) {
        if (!route_valid(&routes[i])) {
            vp_error("route %s %s: a {name} without its scope", routes[i].method,
                     routes[i].pattern);
            if (bad)
                *bad = &routes[i];
            return VP_ERR_INVALID;
        }
    }
    if (r->n + n > r->cap) {
        r->cap = (r->n + n) * 2;
        r->routes = vp_xrealloc(r->routes, r->cap * sizeof(r->routes[0]));
    }
    for (size_t i = 0; i < n; i++)
        r->routes[r->n++] = &routes[i];
    return VP_OK;
}

const char *chttp_param(const struct chttp_req *req, const char *name)
{
    int i = req->route ? param_index(req->route->pattern, name, strlen(name)) : -1;
    return i >= 0 && i < req->nparams ? req->params[i] : NULL;
}

/* Matches path against pattern, capturing {x} and * into req->params. */
static bool match(const char *pattern, const char *path, struct chttp_req *req)
{
    req->nparams = 0;
    while (*pattern && *path) {
        if (*pattern == '*' && pattern[1] == '\0') {
            if (req->nparams == CHTTP_MAX_PARAMS ||
                vp_strlcpy(req->params[req->nparams++], path, CHTTP_PARAM_LEN) >= CHTTP_PARAM_LEN)
                return false;
            return true;
        }
        if (*pattern == '{') {
            size_t n = strcspn(path, "/");
            if (n == 0 || n >= CHTTP_PARAM_LEN || req->nparams == CHTTP_MAX_PARAMS)
                return false;
            memcpy(req->params[req->nparams], path, n);
            req->params[req->nparams++][n] = '\0';
            path += n;
            pattern = strchr(pattern, '}');
            if (!pattern)
                return false;
            pattern++;
            continue;
        }
        if (*pattern != *path)
            return false;
        pattern++;
        path++;
    }
    return *pattern == '\0' && *path == '\0';
}

void chttp_router_dispatch(const struct chttp_router *r, struct chttp_req *req,
                           struct chttp_resp *resp)
{
    bool path_known = false;
    for (size_t i = 0; i < r->n; i++) {
        const struct chttp_route *rt = r->routes[i];
        if (!match(rt->pattern, req->path, req))
            continue;
        path_known = true;
        if (strcmp(rt->method, req->method) != 0 &&
            !(!strcmp(req->method, "HEAD") && !strcmp(rt->method, "GET")))
            continue;
        req->route = rt;
        if (!r->authorize || r->authorize(req, resp, rt))
            rt->fn(req, resp);
        return;
    }
    req->nparams = 0;
    if (path_known)
        chttp_error(req, resp, 405, "method_not_allowed", NULL);
    else
        chttp_error(req, resp, 404, "not_found", NULL);
}
