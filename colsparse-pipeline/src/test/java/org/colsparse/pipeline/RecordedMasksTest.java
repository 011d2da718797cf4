package org.colsparse.pipeline;

import org.colsparse.runtime.GemmRecorder;
import org.colsparse.sparsity.NearZeroMask;
import org.colsparse.tensor.NpzWriter;
import org.colsparse.util.InputException;
import org.colsparse.workload.Gemm;
import org.colsparse.workload.SiteRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordedMasksTest {
    /** A call with an FFN site and a time-embedding MLP site, each all near zero, and a consumer of each. */
    private static RecordedMasks twoRoles() {
        NearZeroMask ffn = new NearZeroMask(4, 8, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        NearZeroMask time = new NearZeroMask(1, 8, new byte[] {(byte) 0xff});
        RecordedMasks.Call call = new RecordedMasks.Call("c0", 0, 999, Map.of("ffn.gelu", ffn, "time.gelu", time));
        List<RecordedMasks.Site> sites = List.of(new RecordedMasks.Site("ffn.gelu", SiteRole.FFN, 4, 8),
                new RecordedMasks.Site("time.gelu", SiteRole.TIME_MLP, 1, 8));
        List<GemmRecorder.Op> gemms = List.of(
                new GemmRecorder.Op(new Gemm("up", 4, 8, 8), null),
                new GemmRecorder.Op(new Gemm("ffn.down", 4, 8, 8, 1, "ffn.gelu"), null),
                new GemmRecorder.Op(new Gemm("time.out", 1, 8, 8, 1, "time.gelu"), null));
        return new RecordedMasks("w", 0.01, List.of(call), sites, gemms);
    }

    @Test
    void onlyConsumersOfHeadlineSitesSkipTheOthersAreApart() {
        RecordedMasks masks = twoRoles();
        RecordedMasks.Call call = masks.calls().get(0);
        // before issue 22, operands() also held time.out: time-MLP consumers skipped inside the headline
        assertEquals(List.of("ffn.down"), List.copyOf(masks.operands(call).keySet()));
        assertEquals(List.of("time.out"), List.copyOf(masks.otherOperands(call).keySet()));
        assertEquals(0, masks.operands(call).get("ffn.down").nonZeroColumns(0, 4).cardinality(), "every column of the FFN site is zero");
        assertEquals(SiteRole.TIME_MLP, masks.consumedRole(masks.gemms().get(2).gemm()));
        assertNull(masks.consumedRole(masks.gemms().get(0).gemm()));
    }

    @Test
    void rolesGoOutByTheirNamesAndComeBackTyped(@TempDir Path dir) {
        Path file = dir.resolve("masks.npz");
        twoRoles().write(file);
        RecordedMasks back = RecordedMasks.read(file);
        assertEquals(List.of(SiteRole.FFN, SiteRole.TIME_MLP), back.sites().stream().map(RecordedMasks.Site::role).toList());
        assertEquals(SiteRole.TIME_MLP, back.consumedRole(back.gemms().get(2).gemm()));
    }

    @Test
    void anUnknownRoleInAMasksFileIsNamed(@TempDir Path dir) {
        Path file = dir.resolve("masks.npz");
        byte[] index = ("{\"format\":\"" + RecordedMasks.FORMAT + "\",\"workload\":\"w\",\"threshold\":0.01,\"calls\":[],"
                + "\"sites\":[{\"name\":\"a.gelu\",\"role\":\"attention\",\"rows\":1,\"channels\":8}],\"gemms\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        NpzWriter w = new NpzWriter();
        w.addU8("index", new long[] {index.length}, index);
        w.write(file);
        InputException e = assertThrows(InputException.class, () -> RecordedMasks.read(file));
        assertTrue(e.getMessage().startsWith(file + ": index site a.gelu, role: unknown site role 'attention', expected one of ffn,"),
                e.getMessage());
    }
}
