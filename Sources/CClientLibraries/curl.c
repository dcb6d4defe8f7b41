/* libcurl's functions that Rollout's CurlTransport calls, forwarded to the library loaded on first
   use (see loader.h), and the typed wrappers of its variadic ones that CCurl's shim.h declares. */
#define CURL_DISABLE_TYPECHECK 1
#include "../CCurl/shim.h"

#include "loader.h"

#if defined(__linux__)
#define CURL_POLL_FUNCTIONS(F, V)
#else
/* The loop of the other platforms waits with curl_multi_poll (libcurl 7.68 or later). */
#define CURL_POLL_FUNCTIONS(F, V)                                                                               \
    F(CURLMcode, curl_multi_perform, (CURLM * multi_handle, int *running_handles), (multi_handle, running_handles)) \
    F(CURLMcode, curl_multi_poll,                                                                               \
      (CURLM * multi_handle, struct curl_waitfd extra_fds[], unsigned int extra_nfds, int timeout_ms, int *ret), \
      (multi_handle, extra_fds, extra_nfds, timeout_ms, ret))                                                   \
    F(CURLMcode, curl_multi_wakeup, (CURLM * multi_handle), (multi_handle))
#endif

#define CURL_FUNCTIONS(F, V)                                                                                    \
    V(curl_easy_cleanup, (CURL * curl), (curl))                                                                 \
    F(CURL *, curl_easy_init, (void), ())                                                                       \
    V(curl_easy_reset, (CURL * curl), (curl))                                                                   \
    F(const char *, curl_easy_strerror, (CURLcode code), (code))                                                \
    F(CURLcode, curl_global_init, (long flags), (flags))                                                        \
    F(CURLMcode, curl_multi_add_handle, (CURLM * multi_handle, CURL * curl_handle), (multi_handle, curl_handle)) \
    F(CURLMcode, curl_multi_cleanup, (CURLM * multi_handle), (multi_handle))                                    \
    F(CURLMsg *, curl_multi_info_read, (CURLM * multi_handle, int *msgs_in_queue), (multi_handle, msgs_in_queue)) \
    F(CURLM *, curl_multi_init, (void), ())                                                                     \
    F(CURLMcode, curl_multi_remove_handle, (CURLM * multi_handle, CURL * curl_handle), (multi_handle, curl_handle)) \
    F(CURLMcode, curl_multi_socket_action, (CURLM * multi_handle, curl_socket_t s, int ev_bitmask, int *running_handles), \
      (multi_handle, s, ev_bitmask, running_handles))                                                           \
    F(const char *, curl_multi_strerror, (CURLMcode code), (code))                                              \
    F(struct curl_slist *, curl_slist_append, (struct curl_slist * list, const char *data), (list, data))       \
    V(curl_slist_free_all, (struct curl_slist * list), (list))                                                  \
    CURL_POLL_FUNCTIONS(F, V)

/* The variadic three are looked up like the others but called only through the wrappers below. */
#define CURL_VARIADIC_SYMBOLS "curl_easy_setopt", "curl_multi_setopt", "curl_easy_getinfo",

static const char *const curl_symbols[] = {CURL_FUNCTIONS(B24_SYMBOL_NAME, B24_VOID_SYMBOL_NAME) CURL_VARIADIC_SYMBOLS NULL};

#if defined(__APPLE__)
static const char *const curl_files[] = {"libcurl.4.dylib", NULL};
#else
static const char *const curl_files[] = {"libcurl.so.4", NULL};
#endif

b24_loaded_library b24_curl = {"libcurl", "B24PLAN_LIBCURL", curl_files, curl_symbols, PTHREAD_ONCE_INIT, NULL, ""};

#define FORWARD(result, name, params, args) B24_FORWARD(b24_curl, result, name, params, args)
#define FORWARD_VOID(name, params, args) B24_FORWARD_VOID(b24_curl, name, params, args)
CURL_FUNCTIONS(FORWARD, FORWARD_VOID)

/* curl_easy_setopt, curl_multi_setopt and curl_easy_getinfo are variadic, which Swift cannot call:
   one typed wrapper per argument kind, each passing its argument with its own type. */
typedef CURLcode (*easy_setopt_function)(CURL *, CURLoption, ...);
typedef CURLMcode (*multi_setopt_function)(CURLM *, CURLMoption, ...);
typedef CURLcode (*getinfo_function)(CURL *, CURLINFO, ...);

static void *easy_setopt_slot, *multi_setopt_slot, *getinfo_slot;
#define easy_setopt() ((easy_setopt_function)b24_resolved(&b24_curl, &easy_setopt_slot, "curl_easy_setopt"))
#define multi_setopt() ((multi_setopt_function)b24_resolved(&b24_curl, &multi_setopt_slot, "curl_multi_setopt"))
#define getinfo() ((getinfo_function)b24_resolved(&b24_curl, &getinfo_slot, "curl_easy_getinfo"))

CURLcode b24_setopt_long(CURL *h, CURLoption o, long v) { return easy_setopt()(h, o, v); }
CURLcode b24_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return easy_setopt()(h, o, v); }
CURLcode b24_setopt_ptr(CURL *h, CURLoption o, void *v) { return easy_setopt()(h, o, v); }
CURLcode b24_setopt_str(CURL *h, CURLoption o, const char *v) { return easy_setopt()(h, o, v); }
CURLcode b24_setopt_write(CURL *h, CURLoption o, curl_write_callback v) { return easy_setopt()(h, o, v); }
CURLMcode b24_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return multi_setopt()(m, o, v); }
CURLMcode b24_multi_setopt_ptr(CURLM *m, CURLMoption o, void *v) { return multi_setopt()(m, o, v); }
CURLMcode b24_multi_setopt_socketfunction(CURLM *m, curl_socket_callback f) {
    return multi_setopt()(m, CURLMOPT_SOCKETFUNCTION, f);
}
CURLMcode b24_multi_setopt_timerfunction(CURLM *m, curl_multi_timer_callback f) {
    return multi_setopt()(m, CURLMOPT_TIMERFUNCTION, f);
}
CURLcode b24_getinfo_long(CURL *h, CURLINFO i, long *v) { return getinfo()(h, i, v); }

/* Only http and https, for requests and for redirects (CURLOPT_PROTOCOLS_STR from libcurl 7.85 on,
   the bit mask before it, e.g. Ubuntu 22.04's 7.81). The headers decide, so a library older than
   the headers it was built against refuses the option, and the transport reports that. */
CURLcode b24_allow_http_only(CURL *h) {
#if LIBCURL_VERSION_NUM >= 0x075500
    CURLcode code = easy_setopt()(h, CURLOPT_PROTOCOLS_STR, "http,https");
    return code != CURLE_OK ? code : easy_setopt()(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    CURLcode code = easy_setopt()(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    return code != CURLE_OK ? code : easy_setopt()(h, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
}
