#include "vp_error.h"
#include "vp_i18n.h"

static const char *const names[VP_RESULT_COUNT] = {
    [VP_OK] = "ok",
    [VP_ERR_INVALID] = "invalid",
    [VP_ERR_NOT_FOUND] = "not_found",
    [VP_ERR_CONSTRAINT] = "constraint",
    [VP_ERR_FULL] = "full",
    [VP_ERR_CORRUPT] = "corrupt",
    [VP_ERR_TOO_NEW] = "too_new",
    [VP_ERR_BUSY] = "busy",
    [VP_ERR_IO] = "io",
    [VP_ERR_AUTH] = "auth",
    [VP_ERR_LOCKED_OUT] = "locked_out",
    [VP_ERR_NETWORK] = "network",
    [VP_ERR_TLS] = "tls",
    [VP_ERR_SERVER] = "server",
    [VP_ERR_REFUSED] = "refused",
    [VP_ERR_INTERNAL] = "internal",
    [VP_ERR_EXISTS] = "exists",
};

const char *vp_result_name(vp_result res)
{
    if ((int)res < 0 || res >= VP_RESULT_COUNT)
        return "unknown";
    return names[res];
}

const char *vp_result_message(vp_result res)
{
    static const char *const keys[VP_RESULT_COUNT] = {
        [VP_OK] = "err.ok",
        [VP_ERR_INVALID] = "err.invalid",
        [VP_ERR_NOT_FOUND] = "err.not_found",
        [VP_ERR_CONSTRAINT] = "err.constraint",
        [VP_ERR_FULL] = "err.full",
        [VP_ERR_CORRUPT] = "err.corrupt",
        [VP_ERR_TOO_NEW] = "err.too_new",
        [VP_ERR_BUSY] = "err.busy",
        [VP_ERR_IO] = "err.io",
        [VP_ERR_AUTH] = "err.auth",
        [VP_ERR_LOCKED_OUT] = "err.locked_out",
        [VP_ERR_NETWORK] = "err.network",
        [VP_ERR_TLS] = "err.tls",
        [VP_ERR_SERVER] = "err.server",
        [VP_ERR_REFUSED] = "err.refused",
        [VP_ERR_INTERNAL] = "err.internal",
        [VP_ERR_EXISTS] = "err.exists",
    };
    if ((int)res < 0 || res >= VP_RESULT_COUNT)
        return vp_tr("err.internal");
    return vp_tr(keys[res]);
}
