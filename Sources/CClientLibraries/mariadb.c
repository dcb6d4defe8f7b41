/* MariaDB Connector/C's functions that PlanStore's MySQLDatabase calls, forwarded to the library
   loaded on first use (see loader.h). */
#include "../CMariaDB/shim.h"

#include "loader.h"

#define MARIADB_FUNCTIONS(F, V)                                                                                 \
    V(mysql_close, (MYSQL * sock), (sock))                                                                      \
    F(my_bool, mysql_commit, (MYSQL * mysql), (mysql))                                                          \
    F(unsigned int, mysql_errno, (MYSQL * mysql), (mysql))                                                      \
    F(const char *, mysql_error, (MYSQL * mysql), (mysql))                                                      \
    F(MYSQL_FIELD *, mysql_fetch_fields, (MYSQL_RES * res), (res))                                              \
    V(mysql_free_result, (MYSQL_RES * result), (result))                                                        \
    F(MYSQL *, mysql_init, (MYSQL * mysql), (mysql))                                                            \
    F(int, mysql_options, (MYSQL * mysql, enum mysql_option option, const void *arg), (mysql, option, arg))     \
    F(MYSQL *, mysql_real_connect,                                                                              \
      (MYSQL * mysql, const char *host, const char *user, const char *passwd, const char *db, unsigned int port, \
       const char *unix_socket, unsigned long clientflag),                                                      \
      (mysql, host, user, passwd, db, port, unix_socket, clientflag))                                           \
    F(int, mysql_real_query, (MYSQL * mysql, const char *q, unsigned long length), (mysql, q, length))          \
    F(my_bool, mysql_rollback, (MYSQL * mysql), (mysql))                                                        \
    F(unsigned long long, mysql_stmt_affected_rows, (MYSQL_STMT * stmt), (stmt))                                \
    F(my_bool, mysql_stmt_bind_param, (MYSQL_STMT * stmt, MYSQL_BIND * bnd), (stmt, bnd))                       \
    F(my_bool, mysql_stmt_bind_result, (MYSQL_STMT * stmt, MYSQL_BIND * bnd), (stmt, bnd))                      \
    F(my_bool, mysql_stmt_close, (MYSQL_STMT * stmt), (stmt))                                                   \
    F(unsigned int, mysql_stmt_errno, (MYSQL_STMT * stmt), (stmt))                                              \
    F(const char *, mysql_stmt_error, (MYSQL_STMT * stmt), (stmt))                                              \
    F(int, mysql_stmt_execute, (MYSQL_STMT * stmt), (stmt))                                                     \
    F(int, mysql_stmt_fetch, (MYSQL_STMT * stmt), (stmt))                                                       \
    F(int, mysql_stmt_fetch_column, (MYSQL_STMT * stmt, MYSQL_BIND * bind_arg, unsigned int column, unsigned long offset), \
      (stmt, bind_arg, column, offset))                                                                         \
    F(unsigned int, mysql_stmt_field_count, (MYSQL_STMT * stmt), (stmt))                                        \
    F(my_bool, mysql_stmt_free_result, (MYSQL_STMT * stmt), (stmt))                                             \
    F(MYSQL_STMT *, mysql_stmt_init, (MYSQL * mysql), (mysql))                                                  \
    F(unsigned long, mysql_stmt_param_count, (MYSQL_STMT * stmt), (stmt))                                       \
    F(int, mysql_stmt_prepare, (MYSQL_STMT * stmt, const char *query, unsigned long length), (stmt, query, length)) \
    F(MYSQL_RES *, mysql_stmt_result_metadata, (MYSQL_STMT * stmt), (stmt))                                     \
    F(MYSQL_RES *, mysql_store_result, (MYSQL * mysql), (mysql))

static const char *const mariadb_symbols[] = {MARIADB_FUNCTIONS(B24_SYMBOL_NAME, B24_VOID_SYMBOL_NAME) NULL};

#if defined(__APPLE__)
static const char *const mariadb_files[] = {"libmariadb.3.dylib", "/opt/homebrew/lib/mariadb/libmariadb.3.dylib",
                                            "/usr/local/lib/mariadb/libmariadb.3.dylib", NULL};
#else
static const char *const mariadb_files[] = {"libmariadb.so.3", NULL};
#endif

b24_loaded_library b24_mariadb = {"MariaDB Connector/C, the MySQL and MariaDB client library", "B24PLAN_LIBMARIADB", mariadb_files, mariadb_symbols,
                                  PTHREAD_ONCE_INIT, NULL, ""};

#define FORWARD(result, name, params, args) B24_FORWARD(b24_mariadb, result, name, params, args)
#define FORWARD_VOID(name, params, args) B24_FORWARD_VOID(b24_mariadb, name, params, args)
MARIADB_FUNCTIONS(FORWARD, FORWARD_VOID)
