/* libpq's functions that PlanStore's PostgresDatabase calls, forwarded to the library loaded on
   first use (see loader.h). */
#include "../CLibPQ/shim.h"

#include "loader.h"

#define LIBPQ_FUNCTIONS(F, V)                                                                                   \
    V(PQclear, (PGresult * res), (res))                                                                         \
    F(char *, PQcmdStatus, (PGresult * res), (res))                                                             \
    F(char *, PQcmdTuples, (PGresult * res), (res))                                                             \
    F(PGconn *, PQconnectdbParams, (const char *const *keywords, const char *const *values, int expand_dbname), \
      (keywords, values, expand_dbname))                                                                        \
    F(char *, PQerrorMessage, (const PGconn *conn), (conn))                                                     \
    F(PGresult *, PQexec, (PGconn * conn, const char *query), (conn, query))                                    \
    F(PGresult *, PQexecParams,                                                                                 \
      (PGconn * conn, const char *command, int nParams, const Oid *paramTypes, const char *const *paramValues,   \
       const int *paramLengths, const int *paramFormats, int resultFormat),                                     \
      (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))              \
    F(PGresult *, PQexecPrepared,                                                                               \
      (PGconn * conn, const char *stmtName, int nParams, const char *const *paramValues, const int *paramLengths, \
       const int *paramFormats, int resultFormat),                                                              \
      (conn, stmtName, nParams, paramValues, paramLengths, paramFormats, resultFormat))                         \
    V(PQfinish, (PGconn * conn), (conn))                                                                        \
    F(char *, PQfname, (const PGresult *res, int field_num), (res, field_num))                                  \
    V(PQfreemem, (void *ptr), (ptr))                                                                            \
    F(Oid, PQftype, (const PGresult *res, int field_num), (res, field_num))                                     \
    F(int, PQgetisnull, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))           \
    F(int, PQgetlength, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))           \
    F(char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))         \
    F(int, PQnfields, (const PGresult *res), (res))                                                             \
    F(int, PQntuples, (const PGresult *res), (res))                                                             \
    F(PGresult *, PQprepare, (PGconn * conn, const char *stmtName, const char *query, int nParams, const Oid *paramTypes), \
      (conn, stmtName, query, nParams, paramTypes))                                                             \
    F(char *, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode))                       \
    F(ExecStatusType, PQresultStatus, (const PGresult *res), (res))                                             \
    F(int, PQsetClientEncoding, (PGconn * conn, const char *encoding), (conn, encoding))                        \
    F(PQnoticeProcessor, PQsetNoticeProcessor, (PGconn * conn, PQnoticeProcessor proc, void *arg), (conn, proc, arg)) \
    F(ConnStatusType, PQstatus, (const PGconn *conn), (conn))                                                   \
    F(PGTransactionStatusType, PQtransactionStatus, (const PGconn *conn), (conn))                               \
    F(unsigned char *, PQunescapeBytea, (const unsigned char *strtext, size_t *retbuflen), (strtext, retbuflen))

static const char *const libpq_symbols[] = {LIBPQ_FUNCTIONS(B24_SYMBOL_NAME, B24_VOID_SYMBOL_NAME) NULL};

#if defined(__APPLE__)
static const char *const libpq_files[] = {"libpq.5.dylib", "/opt/homebrew/opt/libpq/lib/libpq.5.dylib",
                                          "/usr/local/opt/libpq/lib/libpq.5.dylib", NULL};
#else
static const char *const libpq_files[] = {"libpq.so.5", NULL};
#endif

b24_loaded_library b24_libpq = {"libpq, the PostgreSQL client library", "B24PLAN_LIBPQ", libpq_files, libpq_symbols, PTHREAD_ONCE_INIT, NULL, ""};

#define FORWARD(result, name, params, args) B24_FORWARD(b24_libpq, result, name, params, args)
#define FORWARD_VOID(name, params, args) B24_FORWARD_VOID(b24_libpq, name, params, args)
LIBPQ_FUNCTIONS(FORWARD, FORWARD_VOID)
