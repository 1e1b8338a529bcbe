/* files: a guest for the path-traversal corpus (runtime/files_test.go).
 * Each handler passes a path to the host as a careless CivetWeb handler
 * would:
 *
 *   /uri/...      mg_send_file(document_root + local_uri without "/uri")
 *   /file?path=   mg_send_file(the decoded path variable, verbatim)
 *   /body?path=   mg_send_file_body(the same), 404 if it returns -1
 *   /option       the value of mg_get_option(ctx, "document_root")
 */

#include <stdio.h>
#include <string.h>

#include "civetweb.h"

static char path[16384];

static int
query_path(struct mg_connection *conn)
{
	const char *qs = mg_get_request_info(conn)->query_string;

	if (qs == NULL || mg_get_var(qs, strlen(qs), "path", path, sizeof(path)) < 0) {
		mg_send_http_error(conn, 400, "no path");
		return -1;
	}
	return 0;
}

static int
uri_handler(struct mg_connection *conn, void *cbdata)
{
	const char *root = mg_get_option(mg_get_context(conn), "document_root");
	const char *uri = mg_get_request_info(conn)->local_uri;

	(void)cbdata;
	snprintf(path, sizeof(path), "%s%s", root, uri + strlen("/uri"));
	mg_send_file(conn, path);
	return 200;
}

static int
file_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	if (query_path(conn) == 0) {
		mg_send_file(conn, path);
	}
	return 200;
}

static int
body_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	if (query_path(conn) == 0 && mg_send_file_body(conn, path) < 0) {
		mg_send_http_error(conn, 404, "mg_send_file_body failed");
	}
	return 200;
}

static int
option_handler(struct mg_connection *conn, void *cbdata)
{
	const char *root = mg_get_option(mg_get_context(conn), "document_root");

	(void)cbdata;
	mg_send_http_ok(conn, "text/plain", (long long)strlen(root) + 2);
	mg_printf(conn, "[%s]", root);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/uri", uri_handler, NULL);
	mg_set_request_handler(ctx, "/file", file_handler, NULL);
	mg_set_request_handler(ctx, "/body", body_handler, NULL);
	mg_set_request_handler(ctx, "/option", option_handler, NULL);
	return 0;
}
