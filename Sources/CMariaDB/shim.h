/* MariaDB Connector/C's header where the distribution puts it (Debian and Ubuntu:
   /usr/include/mariadb). No pkg-config: its `-lmariadb` would make the executable load the library
   at start, which CClientLibraries does on first use instead. */
#if __has_include(<mariadb/mysql.h>)
#include <mariadb/mysql.h>
#elif __has_include("/opt/homebrew/include/mariadb/mysql.h")
#include "/opt/homebrew/include/mariadb/mysql.h"
#elif __has_include("/usr/local/include/mariadb/mysql.h")
#include "/usr/local/include/mariadb/mysql.h"
#else
#error "mariadb/mysql.h not found: install libmariadb-dev (Debian, Ubuntu), mariadb-connector-c-devel (Fedora) or mariadb-connector-c (Homebrew)"
#endif
