/*
 * capi.c - the application context and the one place that checks who is
 * calling: device tokens (with the per-device rate limit) and coach
 * sessions (with the CSRF token for state-changing requests).
 */
#include "capi.h"
#include "vp_str.h"
#include "vp_time.h"
#include <sodium.h>
#include <string.h>
#include <strings.h>

#define MINUTE_MS (60LL * 1000)

void capp_init(struct capp *app, struct cstore *store, const struct capp_options *opt)
{
    double per_min = opt && opt->device_rate_per_min > 0 ? opt->device_rate_per_min : 1200;
    const unsigned char *secret = opt ? opt->secret : NULL;
    memset(app, 0, sizeof(*app));
    app->store = store;
    /* a burst of a sixth of a minute's budget: a tablet back online drains at once */
    app->device_rate = climit_new(per_min / 60.0, per_min / 6.0 < 3 ? 3 : per_min / 6.0, secret);
    /* five wrong passwords per account, then one try a minute */
    app->login_account = climit_new(1.0 / 60.0, 5, secret);
    /* twenty wrong passwords per address, then one every ten seconds */
    app->login_ip = climit_new(1.0 / 10.0, 20, secret);
    /* a refused login costs no disk write beyond one audit entry a minute */
    app->audit_refused = climit_new(1.0 / 60.0, 1, secret);
    app->session_idle_ms = 30 * MINUTE_MS;
    app->session_abs_ms = 12 * 60 * MINUTE_MS;
    atomic_store(&app->stopping, false);
}

void capp_release(struct capp *app)
{
    climit_free(app->device_rate);
    climit_free(app->login_account);
    climit_free(app->login_ip);
    climit_free(app->audit_refused);
    memset(app, 0, sizeof(*app));
}

static bool authorize_device(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *auth = chttp_header(req, "Authorization");
    int wait;
    vp_result res;
    if (!auth || strncasecmp(auth, "Bearer ", 7) != 0) {
        chttp_error(req, resp, 401, "unauthorized", NULL);
        return false;
    }
    res = cstore_device_auth(req->app->store, auth + 7, &req->device);
    if (res) {
        chttp_store_error(req, resp, res);
        return false;
    }
    wait = climit_take(req->app->device_rate, req->device.id, vp_mono_ms());
    if (wait) {
        chttp_error(req, resp, 429, "rate_limited", NULL);
        resp->retry_after = wait;
        return false;
    }
    return true;
}

static bool authorize_coach(struct chttp_req *req, struct chttp_resp *resp)
{
    struct capp *app = req->app;
    const char *sid = chttp_cookie(req, CAPI_SESSION_COOKIE);
    const char *csrf;
    vp_result res;
    if (!sid || vp_strlcpy(req->sid, sid, sizeof(req->sid)) >= sizeof(req->sid)) {
        chttp_error(req, resp, 401, "unauthorized", NULL);
        return false;
    }
    res = cstore_session_get(app->store, sid, vp_now_ms(), app->session_idle_ms,
                             app->session_abs_ms, &req->session, &req->coach);
    if (res) {
        chttp_store_error(req, resp, res);
        return false;
    }
    if (!strcmp(req->method, "GET") || !strcmp(req->method, "HEAD"))
        return true;
    csrf = chttp_header(req, "X-CSRF-Token");
    if (!csrf || strlen(csrf) != strlen(req->session.csrf) ||
        sodium_memcmp(csrf, req->session.csrf, strlen(csrf)) != 0) {
        chttp_error(req, resp, 403, "csrf", NULL);
        return false;
    }
    return true;
}

bool capi_authorize(struct chttp_req *req, struct chttp_resp *resp, enum chttp_auth auth)
{
    switch (auth) {
    case CHTTP_DEVICE: return authorize_device(req, resp);
    case CHTTP_COACH: return authorize_coach(req, resp);
    default: return true;
    }
}
