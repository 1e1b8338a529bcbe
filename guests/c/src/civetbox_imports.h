/* Raw civetbox ABI v1 host functions (see package abi). Private to the SDK:
 * handlers call the CivetWeb functions in civetweb.h, which buffer output
 * and check arguments before crossing into the host. */

#ifndef CIVETBOX_IMPORTS_H
#define CIVETBOX_IMPORTS_H

#include <stddef.h>

#define CIVETBOX_IMPORT(name)                                                  \
	__attribute__((import_module("civetbox"), import_name(#name)))

CIVETBOX_IMPORT(mg_read) int civetbox_host_read(void *buf, size_t len);
CIVETBOX_IMPORT(mg_write) int civetbox_host_write(const void *buf, size_t len);
CIVETBOX_IMPORT(mg_send_chunk)
int civetbox_host_send_chunk(const char *chunk, size_t chunk_len);
CIVETBOX_IMPORT(mg_get_request_info)
size_t civetbox_host_get_request_info(void *buf, size_t cap);
CIVETBOX_IMPORT(mg_send_http_ok)
int civetbox_host_send_http_ok(const char *mime_type,
                               size_t mime_type_len,
                               long long content_length);
CIVETBOX_IMPORT(mg_send_http_error)
int civetbox_host_send_http_error(int status, const char *msg, size_t msg_len);
CIVETBOX_IMPORT(mg_send_http_redirect)
int civetbox_host_send_http_redirect(const char *target_url,
                                     size_t target_url_len,
                                     int redirect_code);
CIVETBOX_IMPORT(mg_response_header_start)
int civetbox_host_response_header_start(int status);
CIVETBOX_IMPORT(mg_response_header_add)
int civetbox_host_response_header_add(const char *header,
                                      size_t header_len,
                                      const char *value,
                                      size_t value_len);
CIVETBOX_IMPORT(mg_response_header_add_lines)
int civetbox_host_response_header_add_lines(const char *lines,
                                            size_t lines_len);
CIVETBOX_IMPORT(mg_response_header_send)
int civetbox_host_response_header_send(void);
CIVETBOX_IMPORT(mg_cry) void civetbox_host_cry(const char *msg, size_t msg_len);
CIVETBOX_IMPORT(mg_set_request_handler)
int civetbox_host_set_request_handler(const char *uri,
                                      size_t uri_len,
                                      mg_request_handler handler,
                                      void *cbdata);

/* Files (abi/doc.go, "Files"). Paths are relative to the granted directory. */
CIVETBOX_IMPORT(grants) int civetbox_host_grants(void);
#define CIVETBOX_GRANT_DOCUMENT_ROOT 1
#define CIVETBOX_GRANT_UPLOAD_DIR 2
CIVETBOX_IMPORT(mg_send_mime_file2)
int civetbox_host_send_mime_file2(const char *path,
                                  size_t path_len,
                                  const char *mime_type,
                                  size_t mime_type_len,
                                  const char *additional_headers,
                                  size_t additional_headers_len);
CIVETBOX_IMPORT(mg_send_file_body)
int civetbox_host_send_file_body(const char *path, size_t path_len);
CIVETBOX_IMPORT(upload_open)
int civetbox_host_upload_open(const char *path, size_t path_len);
CIVETBOX_IMPORT(upload_write)
int civetbox_host_upload_write(int handle, const void *buf, size_t len);
CIVETBOX_IMPORT(upload_close) int civetbox_host_upload_close(int handle, int keep);
CIVETBOX_IMPORT(mg_check_digest_access_authentication)
int civetbox_host_check_digest(const char *realm,
                               size_t realm_len,
                               const char *filename,
                               size_t filename_len);
CIVETBOX_IMPORT(mg_send_digest_access_authentication_request)
int civetbox_host_send_digest_request(const char *realm, size_t realm_len);

/* Set by a function whose use must stop the module from starting (see
 * mg_set_auth_handler); civetbox_abi_init then fails. */
extern const char *civetbox_refuse_start;

/* Sends what mg_printf/mg_write buffered (civetbox_abi.c), for the SDK's
 * functions that write through their own host call: 0, or -1. */
int civetbox_flush(struct mg_connection *conn);

/* struct civetbox_request: what mg_get_request_info writes (abi/layout.go). */
struct civetbox_request {
	struct mg_request_info info;
	const char *server_addr;
	int reserved;
};

#endif
