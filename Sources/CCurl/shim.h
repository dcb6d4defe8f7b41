/* libcurl's header (Debian and Ubuntu: /usr/include/<triple>/curl, on the default path). No
   pkg-config: its `-lcurl` would make the executable load libcurl at start, which CClientLibraries
   does on first use instead. */
#if __has_include(<curl/curl.h>)
#include <curl/curl.h>
#elif __has_include("/opt/homebrew/opt/curl/include/curl/curl.h")
#include "/opt/homebrew/opt/curl/include/curl/curl.h"
#else
#error "curl/curl.h not found: install libcurl4-openssl-dev (Debian, Ubuntu), libcurl-devel (Fedora) or curl (Homebrew)"
#endif

/* Defined in CClientLibraries (curl.c), which loads libcurl when first used: typed wrappers of the
   variadic curl_easy_setopt, curl_multi_setopt and curl_easy_getinfo, which Swift cannot call. */
CURLcode b24_setopt_long(CURL *h, CURLoption o, long v);
CURLcode b24_setopt_off(CURL *h, CURLoption o, curl_off_t v);
CURLcode b24_setopt_ptr(CURL *h, CURLoption o, void *v);
CURLcode b24_setopt_str(CURL *h, CURLoption o, const char *v);
CURLcode b24_setopt_write(CURL *h, CURLoption o, curl_write_callback v);
CURLMcode b24_multi_setopt_long(CURLM *m, CURLMoption o, long v);
CURLMcode b24_multi_setopt_ptr(CURLM *m, CURLMoption o, void *v);
CURLcode b24_getinfo_long(CURL *h, CURLINFO i, long *v);

/* Only http and https, for requests and for redirects (the option by libcurl's version). */
CURLcode b24_allow_http_only(CURL *h);

/* The socket interface (curl_multi_socket_action): libcurl says which sockets to watch through
   these callbacks, and the loop waits on them with epoll, so a wake-up costs the sockets that are
   ready rather than every connection (curl_multi_poll polls them all). */
CURLMcode b24_multi_setopt_socketfunction(CURLM *m, curl_socket_callback f);
CURLMcode b24_multi_setopt_timerfunction(CURLM *m, curl_multi_timer_callback f);

#ifdef __linux__
#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* epoll without its packed struct and union in Swift. Watches fd for reading and/or writing
   (adding or changing the registration, whichever applies); events 0 removes it. 0 or -1 (errno). */
static inline int b24_epoll_watch(int ep, int fd, int readable, int writable) {
    if (!readable && !writable) {
        int gone = epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
        return gone == 0 || errno == ENOENT || errno == EBADF ? 0 : -1;
    }
    struct epoll_event event = {0};
    event.events = (readable ? EPOLLIN : 0) | (writable ? EPOLLOUT : 0);
    event.data.fd = fd;
    if (epoll_ctl(ep, EPOLL_CTL_MOD, fd, &event) == 0) return 0;
    if (errno != ENOENT) return -1;
    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &event);
}

/* Waits up to timeout_ms for at most max (≤ 64) ready sockets: their fds and libcurl's
   CURL_CSELECT_* bits. The number ready, 0 on timeout, -1 (errno) on failure. */
static inline int b24_epoll_wait(int ep, int *fds, int *bits, int max, int timeout_ms) {
    struct epoll_event events[64];
    if (max > 64) max = 64;
    int count = epoll_wait(ep, events, max, timeout_ms);
    for (int i = 0; i < count; i++) {
        fds[i] = events[i].data.fd;
        bits[i] = ((events[i].events & EPOLLIN) ? CURL_CSELECT_IN : 0) | ((events[i].events & EPOLLOUT) ? CURL_CSELECT_OUT : 0)
            | ((events[i].events & (EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_ERR : 0);
    }
    return count;
}

static inline int b24_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }
static inline void b24_eventfd_signal(int fd) { uint64_t one = 1; ssize_t ignored = write(fd, &one, sizeof one); (void)ignored; }
static inline void b24_eventfd_drain(int fd) { uint64_t count; ssize_t ignored = read(fd, &count, sizeof count); (void)ignored; }
#endif
