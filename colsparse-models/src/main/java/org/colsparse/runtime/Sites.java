package org.colsparse.runtime;

import org.colsparse.workload.SiteRole;

import java.util.ArrayList;
import java.util.List;

/** Hands out site indices in the order blocks are built, which is the order of the forward pass. */
public final class Sites {
    private final List<GeluSite> sites = new ArrayList<>();

    public GeluSite add(String name, int channels, GeluForm form, SiteLayout layout, SiteRole role) {
        GeluSite s = new GeluSite(sites.size(), name, channels, form, layout, role);
        sites.add(s);
        return s;
    }

    public List<GeluSite> list() {
        return List.copyOf(sites);
    }
}
