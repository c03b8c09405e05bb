#ifndef LEDGERDROP_CLIBXML2_SHIM_H
#define LEDGERDROP_CLIBXML2_SHIM_H

// Debian builds libxml2 with ICU; Foundation on Linux ships its own ICU module and the two
// clash on UErrorCode. The ICU-only parts of libxml2 are never used, so switch them off.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlwriter.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>

// xmlFree is a global function-pointer variable, which Swift 6 strict concurrency refuses.
static inline void ledgerdrop_xmlFree(void *ptr) { xmlFree(ptr); }

#endif
