/* Files from the document root the host grants the module (abi/doc.go,
 * "Files"). The host resolves, checks and sends them: the guest names a
 * path relative to the root, such as mg_get_option(ctx, "document_root")
 * ("." here) followed by the request's local_uri. */

#include <string.h>

#include "civetweb.h"
#include "civetbox_imports.h"

void
mg_send_file(struct mg_connection *conn, const char *path)
{
	mg_send_mime_file2(conn, path, NULL, NULL);
}

void
mg_send_mime_file(struct mg_connection *conn,
                  const char *path,
                  const char *mime_type)
{
	mg_send_mime_file2(conn, path, mime_type, NULL);
}

void
mg_send_mime_file2(struct mg_connection *conn,
                   const char *path,
                   const char *mime_type,
                   const char *additional_headers)
{
	/* What the handler printed goes first, as it would in CivetWeb. A NULL
	 * path is an empty one, which names no file (CivetWeb: 404). */
	if (conn == NULL || civetbox_flush(conn) < 0) {
		return;
	}
	if (path == NULL) {
		path = "";
	}
	(void)civetbox_host_send_mime_file2(
	    path, strlen(path), mime_type, mime_type ? strlen(mime_type) : 0,
	    additional_headers,
	    additional_headers ? strlen(additional_headers) : 0);
}

int
mg_send_file_body(struct mg_connection *conn, const char *path)
{
	if (conn == NULL || path == NULL || civetbox_flush(conn) < 0) {
		return -1;
	}
	return civetbox_host_send_file_body(path, strlen(path));
}
