/**
 * Node location: the geo-enrichment hook a host implements and the location it yields.
 */
package io.kascompute.core.presence;
