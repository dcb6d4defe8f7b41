#ifndef B24_CLIENT_LIBRARIES_H
#define B24_CLIENT_LIBRARIES_H

#include <stddef.h>

/* The database and HTTP client libraries (libpq, MariaDB Connector/C, libcurl) are loaded when
   first used, not when b24plan starts: lint, diff and the other commands that never reach a server
   start without mapping them and their ~30 dependencies (about half of process start), and run on
   a machine that lacks them.

   Each function of those libraries that b24plan calls is defined here under its own name and
   forwards to the library, which it loads on first call. A library that cannot be loaded at that
   point ends the process with a message; callers avoid that by asking first, below. */

typedef enum {
    B24_LIBRARY_LIBPQ = 0,
    B24_LIBRARY_MARIADB = 1,
    B24_LIBRARY_CURL = 2,
} b24_client_library;

/* Loads the library if it is not loaded yet: the file that B24PLAN_LIBPQ, B24PLAN_LIBMARIADB or
   B24PLAN_LIBCURL names when set, otherwise the usual names (libpq.so.5, …). 0 when it is usable
   (it opened and has every function b24plan calls); otherwise -1, and `message` (`size` bytes,
   NUL-terminated) says what each file tried gave. */
int b24_client_library_load(b24_client_library library, char *message, size_t size);

#endif
