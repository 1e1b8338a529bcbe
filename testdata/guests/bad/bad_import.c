/* bad_import: a proper SDK module that also imports a function the host
 * does not provide ("env"."system"); the host must name it. */
#include "civetweb.h"

__attribute__((import_module("env"), import_name("system"))) int host_system(const char *cmd);

static int
handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	return host_system("rm -rf /") == 0 ? mg_printf(conn, "done") : 0;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/", handler, NULL);
	return 0;
}
