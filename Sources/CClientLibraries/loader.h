#ifndef B24_LOADER_H
#define B24_LOADER_H

#include <pthread.h>
#include "b24_client_libraries.h"

/* One client library: the file names to try, in order, and what loading them gave. */
typedef struct {
    const char *name;
    /* An environment variable that, when set and not empty, names the one file to load instead. */
    const char *variable;
    const char *const *files;
    /* Every function b24plan calls: loading fails, with a message, unless the library has them all. */
    const char *const *symbols;
    pthread_once_t once;
    void *handle;
    char error[512];
} b24_loaded_library;

/* The address of `symbol` in `library`, loading the library first if needed. Never NULL: a
   library that cannot be loaded ends the process with a message on stderr. Callers ask
   `b24_client_library_load` first, which also checks that every symbol is there, so this cannot
   happen after that said yes. */
void *b24_loaded_symbol(b24_loaded_library *library, const char *symbol);

/* `*slot` if set, otherwise `b24_loaded_symbol(library, symbol)`, kept in `*slot` (atomically: any
   thread may call first). */
void *b24_resolved(b24_loaded_library *library, void **slot, const char *symbol);

/* A library's functions are listed once, as `LIST(F, V)` with `F(result, name, params, args)` for
   a function that returns something and `V(name, params, args)` for one that does not; the list
   gives both the forwarding definitions and the symbol names loading checks. */
#define B24_SYMBOL_NAME(result, name, params, args) #name,
#define B24_VOID_SYMBOL_NAME(name, params, args) #name,

/* Defines `name` with the header's prototype: the parameters `params` (a parenthesised list with
   names) and the arguments `args` (those names), forwarding to the library's own `name`, looked up
   once. `__typeof__` keeps the pointer's type the header's, so a wrong parameter list does not
   compile. */
#define B24_FORWARD(library, result, name, params, args)                                      \
    result name params {                                                                      \
        static void *slot;                                                                    \
        __typeof__(&(name)) resolved = (__typeof__(&(name)))b24_resolved(&(library), &slot, #name); \
        return resolved args;                                                                 \
    }

/* The same for a function that returns nothing. */
#define B24_FORWARD_VOID(library, name, params, args)                                         \
    void name params {                                                                        \
        static void *slot;                                                                    \
        __typeof__(&(name)) resolved = (__typeof__(&(name)))b24_resolved(&(library), &slot, #name); \
        resolved args;                                                                        \
    }

extern b24_loaded_library b24_libpq;
extern b24_loaded_library b24_mariadb;
extern b24_loaded_library b24_curl;

#endif
