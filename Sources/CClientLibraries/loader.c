#include "loader.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Appends to the library's error text, "; "-separated, cut at its size. */
static void note(b24_loaded_library *library, const char *text) {
    size_t used = strlen(library->error);
    if (used + 1 >= sizeof library->error) return;
    snprintf(library->error + used, sizeof library->error - used, "%s%s", used > 0 ? "; " : "", text);
}

/* The first file that opens and has every symbol wins; otherwise `handle` stays NULL and `error`
   says what each file gave. */
static void load(b24_loaded_library *library) {
    const char *chosen = getenv(library->variable);
    const char *const only[] = {chosen, NULL};
    const char *const *files = chosen != NULL && chosen[0] != '\0' ? only : library->files;
    for (const char *const *file = files; *file != NULL; file++) {
        /* A path to something that is no regular file (a FIFO, a device) could block dlopen
           forever, with signals unable to end the process: refused before it is opened. */
        struct stat status;
        if (strchr(*file, '/') != NULL && stat(*file, &status) == 0 && !S_ISREG(status.st_mode)) {
            char text[300];
            snprintf(text, sizeof text, "%s: not a regular file", *file);
            note(library, text);
            continue;
        }
        void *handle = dlopen(*file, RTLD_NOW | RTLD_LOCAL);
        if (handle == NULL) {
            const char *reason = dlerror();
            note(library, reason != NULL ? reason : *file);
            continue;
        }
        const char *missing = NULL;
        for (const char *const *symbol = library->symbols; *symbol != NULL && missing == NULL; symbol++) {
            if (dlsym(handle, *symbol) == NULL) missing = *symbol;
        }
        if (missing == NULL) {
            library->handle = handle;
            library->error[0] = '\0';
            return;
        }
        char text[200];
        snprintf(text, sizeof text, "%s has no %s (another library, or too old a version)", *file, missing);
        note(library, text);
        dlclose(handle);
    }
}

static void load_libpq(void) { load(&b24_libpq); }
static void load_mariadb(void) { load(&b24_mariadb); }
static void load_curl(void) { load(&b24_curl); }

static void load_once(b24_loaded_library *library) {
    if (library == &b24_libpq) pthread_once(&library->once, load_libpq);
    else if (library == &b24_mariadb) pthread_once(&library->once, load_mariadb);
    else pthread_once(&library->once, load_curl);
}

int b24_client_library_load(b24_client_library which, char *message, size_t size) {
    b24_loaded_library *library = NULL;
    switch (which) {
    case B24_LIBRARY_LIBPQ: library = &b24_libpq; break;
    case B24_LIBRARY_MARIADB: library = &b24_mariadb; break;
    case B24_LIBRARY_CURL: library = &b24_curl; break;
    }
    if (library == NULL) {
        if (size > 0) snprintf(message, size, "no client library number %d", (int)which);
        return -1;
    }
    load_once(library);
    if (library->handle != NULL) return 0;
    if (size > 0) snprintf(message, size, "%s", library->error);
    return -1;
}

void *b24_loaded_symbol(b24_loaded_library *library, const char *symbol) {
    load_once(library);
    void *address = library->handle != NULL ? dlsym(library->handle, symbol) : NULL;
    if (address == NULL) {
        fprintf(stderr, "b24plan: cannot use %s: %s\n", library->name,
                library->handle != NULL ? symbol : library->error);
        abort();
    }
    return address;
}

void *b24_resolved(b24_loaded_library *library, void **slot, const char *symbol) {
    void *address = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (address == NULL) {
        address = b24_loaded_symbol(library, symbol);
        __atomic_store_n(slot, address, __ATOMIC_RELEASE);
    }
    return address;
}
