/*
 * chttp_peer.c - the client's address, X-Forwarded-For from the trusted
 * proxy, and per-address connection counts (chttp_peer.h).
 */
#include "chttp_peer.h"
#include "vp_alloc.h"
#include "vp_str.h"
#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool cpeer_parse(const char *text, struct cpeer_addr *out)
{
    memset(out, 0, sizeof(*out));
    if (inet_pton(AF_INET, text, &out->v4) == 1) {
        out->family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, text, &out->v6) != 1)
        return false;
    out->family = AF_INET6;
    if (IN6_IS_ADDR_V4MAPPED(&out->v6)) { /* ::ffff:a.b.c.d is a.b.c.d */
        out->family = AF_INET;
        memcpy(&out->v4, out->v6.s6_addr + 12, 4);
    }
    return true;
}

bool cpeer_from_sockaddr(const struct sockaddr *sa, struct cpeer_addr *out)
{
    char text[CPEER_TEXT];
    memset(out, 0, sizeof(*out));
    if (sa && sa->sa_family == AF_INET) {
        out->family = AF_INET;
        out->v4 = ((const struct sockaddr_in *)sa)->sin_addr;
        return true;
    }
    if (sa && sa->sa_family == AF_INET6 &&
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, text, sizeof(text)))
        return cpeer_parse(text, out);
    return false;
}

bool cpeer_equal(const struct cpeer_addr *a, const struct cpeer_addr *b)
{
    if (a->family != b->family)
        return false;
    return a->family == AF_INET ? a->v4.s_addr == b->v4.s_addr
                                : !memcmp(&a->v6, &b->v6, sizeof(a->v6));
}

void cpeer_text(const struct cpeer_addr *a, char ip[CPEER_TEXT], char key[CPEER_TEXT])
{
    struct in6_addr net;
    vp_strlcpy(ip, "unknown", CPEER_TEXT);
    vp_strlcpy(key, "unknown", CPEER_TEXT);
    if (a && a->family == AF_INET) {
        inet_ntop(AF_INET, &a->v4, ip, CPEER_TEXT);
        vp_strlcpy(key, ip, CPEER_TEXT);
    } else if (a && a->family == AF_INET6) {
        inet_ntop(AF_INET6, &a->v6, ip, CPEER_TEXT);
        net = a->v6;
        memset(net.s6_addr + 8, 0, 8); /* one site has a whole /64 */
        inet_ntop(AF_INET6, &net, key, CPEER_TEXT);
    }
}

/* ---- X-Forwarded-For ---- */

struct last_value {
    const char *value;
};

static enum MHD_Result each_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    struct last_value *l = cls;
    (void)kind;
    if (key && !strcasecmp(key, "X-Forwarded-For"))
        l->value = value ? value : "";
    return MHD_YES;
}

bool cpeer_forwarded(struct MHD_Connection *conn, struct cpeer_addr *out)
{
    struct last_value l = { NULL };
    const char *hop;
    char text[CPEER_TEXT];
    size_t n;
    MHD_get_connection_values(conn, MHD_HEADER_KIND, each_header, &l);
    if (!l.value)
        return false;
    hop = strrchr(l.value, ',');
    hop = hop ? hop + 1 : l.value;
    hop += strspn(hop, " \t");
    n = strcspn(hop, " \t");
    if (!n || n >= sizeof(text) || hop[n + strspn(hop + n, " \t")] != '\0')
        return false;
    memcpy(text, hop, n);
    text[n] = '\0';
    return cpeer_parse(text, out);
}

/* ---- connections per address ---- */

struct slot {
    char key[CPEER_TEXT];
    unsigned n; /* 0: free */
};

struct cpeer_count {
    pthread_mutex_t lock;
    unsigned limit;
    size_t cap;
    struct slot *slots;
};

#define SLOTS 4096 /* more than the 1000 connections the server holds at most */

struct cpeer_count *cpeer_count_new(unsigned limit)
{
    struct cpeer_count *c = vp_xcalloc(1, sizeof(*c));
    pthread_mutex_init(&c->lock, NULL);
    c->limit = limit;
    c->cap = SLOTS;
    c->slots = vp_xcalloc(c->cap, sizeof(c->slots[0]));
    return c;
}

void cpeer_count_free(struct cpeer_count *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->lock);
    free(c->slots);
    free(c);
}

/* The slot of key, else a free one (*found false), else NULL. */
static struct slot *find(struct cpeer_count *c, const char *key, bool *found)
{
    struct slot *free_slot = NULL;
    *found = false;
    for (size_t i = 0; i < c->cap; i++) {
        if (c->slots[i].n && !strcmp(c->slots[i].key, key)) {
            *found = true;
            return &c->slots[i];
        }
        if (!c->slots[i].n && !free_slot)
            free_slot = &c->slots[i];
    }
    return free_slot;
}

bool cpeer_count_take(struct cpeer_count *c, const char *key)
{
    bool found, ok = false;
    struct slot *s;
    pthread_mutex_lock(&c->lock);
    s = find(c, key, &found);
    if (s && (!found || s->n < c->limit)) {
        if (!found)
            vp_strlcpy(s->key, key, sizeof(s->key));
        s->n++;
        ok = true;
    }
    pthread_mutex_unlock(&c->lock);
    return ok;
}

void cpeer_count_give(struct cpeer_count *c, const char *key)
{
    bool found;
    struct slot *s;
    pthread_mutex_lock(&c->lock);
    s = find(c, key, &found);
    if (found && s->n)
        s->n--;
    pthread_mutex_unlock(&c->lock);
}
