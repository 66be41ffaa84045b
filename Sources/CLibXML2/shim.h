#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* Debian builds libxml2 with ICU; its <unicode/...> headers clash with Foundation's
 * _FoundationICU ("'UErrorCode' has different definitions in different modules"), and only on a
 * clean build. We never touch the ICU-only struct fields, so hide them. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/xpath.h>
#include <libxml/xmlerror.h>
/* xmlFree is a mutable C global, which Swift 6 refuses to read: call it through a function. */
static inline void clibxml2_free(void *ptr) { xmlFree(ptr); }
/* The generic error handler is variadic, which Swift cannot write: a silent one, installed per thread
 * before reading a feed, so libxml2 messages that bypass the structured handlers never reach stderr. */
static void clibxml2_ignore_generic_error(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static inline void clibxml2_silence_generic_errors(void) {
    xmlSetGenericErrorFunc(NULL, clibxml2_ignore_generic_error);
}
#endif
