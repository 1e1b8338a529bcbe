/* Digest authentication: CivetWeb's two public functions, done by the host
 * (package hostfuncs), which reads the passwords file in the granted
 * document root and makes and checks the nonces. */

#include <string.h>

#include "civetweb.h"
#include "civetbox_imports.h"

/* A NULL realm (and, unlike CivetWeb, "") means the default realm,
 * CivetWeb's authentication_domain default "mydomain.com". */
int
mg_send_digest_access_authentication_request(struct mg_connection *conn,
                                             const char *realm)
{
	if (civetbox_flush(conn) < 0) {
		return -1; /* also for a NULL conn */
	}
	return civetbox_host_send_digest_request(realm,
	                                         realm ? strlen(realm) : 0);
}

/* filename is a path relative to the document root (mg_get_option(ctx,
 * "document_root") is "." when one is granted). */
int
mg_check_digest_access_authentication(struct mg_connection *conn,
                                      const char *realm,
                                      const char *filename)
{
	if (conn == NULL || filename == NULL) {
		return -1;
	}
	return civetbox_host_check_digest(realm,
	                                  realm ? strlen(realm) : 0,
	                                  filename,
	                                  strlen(filename));
}
