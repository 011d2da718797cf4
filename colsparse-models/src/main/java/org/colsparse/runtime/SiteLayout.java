package org.colsparse.runtime;

/**
 * Where the channel axis of a site's output lies. The analyzer always sees the docs/definitions.md view
 * {@code M x K} with channels last, so channel-first outputs are transposed when observed.
 */
public enum SiteLayout {
    /** (..., C): transformer tokens and MLP rows. */
    CHANNEL_LAST,
    /** (B, C, spatial...): conv feature maps; observed as (B * spatial, C). */
    CHANNEL_FIRST
}
