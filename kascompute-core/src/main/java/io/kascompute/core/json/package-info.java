/**
 * Untrusted JSON: the strict reader and its value tree, RFC 8785 canonical bytes, and JSON limits.
 */
package io.kascompute.core.json;
