#ifndef CCRYPTO_SHIM_H
#define CCRYPTO_SHIM_H
/* OpenSSL 3 marks the one-shot-context SHA-256 calls deprecated in favour of EVP, whose context is a
   heap object; the plain SHA256_CTX struct copies like a Swift value, so unitcost keeps it. The calls
   use the same assembly (with the CPU's SHA extensions where present). */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
static inline void ccrypto_sha256_init(SHA256_CTX *c) { SHA256_Init(c); }
static inline void ccrypto_sha256_update(SHA256_CTX *c, const void *data, size_t count) { SHA256_Update(c, data, count); }
static inline void ccrypto_sha256_final(unsigned char *md, SHA256_CTX *c) { SHA256_Final(md, c); }
#endif
