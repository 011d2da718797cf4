package org.colsparse.systolic;

import org.colsparse.workload.Gemm;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every SCALE-Sim run recorded in scalesim/cycles.csv must be reproduced to the cycle. */
class ScaleSimFixtureTest {
    record Case(Dataflow df, ArrayShape array, long m, long n, long k, String topology, long totalCycles, long stalls, double utilPct) {
    }

    static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                ScaleSimFixtureTest.class.getResourceAsStream("/scalesim/cycles.csv"), StandardCharsets.UTF_8))) {
            String line;
            boolean header = true;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                String[] c = line.split(",");
                out.add(new Case(Dataflow.parse(c[0], "fixture"), new ArrayShape(Integer.parseInt(c[1]), Integer.parseInt(c[2])),
                        Long.parseLong(c[3]), Long.parseLong(c[4]), Long.parseLong(c[5]), c[6],
                        Long.parseLong(c[7]), Long.parseLong(c[8]), Double.parseDouble(c[9])));
            }
        }
        return out;
    }

    @Test
    void denseCyclesEqualScaleSimTotalCycles() throws IOException {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 40, "fixture has " + cases.size() + " cases");
        for (Case c : cases) {
            assertEquals(0, c.stalls(), "CALC mode runs are stall-free: " + c);
            assertEquals(c.totalCycles(), CycleModel.denseCycles(c.m(), c.n(), c.k(), c.array(), c.df()), c.toString());
        }
    }

    @Test
    void computeUtilizationEqualsScaleSim() throws IOException {
        for (Case c : cases()) {
            double util = 100 * CycleModel.computeUtilization(c.m(), c.n(), c.k(), c.array(), c.df());
            assertEquals(c.utilPct(), util, 1e-9 * c.utilPct(), c.toString());
        }
    }

    @Test
    void convRowsLowerToTheSameGemmAsScaleSim() throws IOException {
        int conv = 0;
        for (Case c : cases()) {
            if (c.topology().equals("gemm")) {
                continue;
            }
            conv++;
            String row = "L0, " + c.topology().replace(":", ", ") + ",";
            List<Gemm> g = Topology.parse(List.of(
                    "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,", row), "fixture");
            assertEquals(List.of(c.m(), c.n(), c.k()), List.of(g.get(0).m(), g.get(0).n(), g.get(0).k()), c.toString());
            assertEquals(c.totalCycles(), GemmEstimate.dense(g.get(0), c.array(), c.df()).denseCycles(), c.toString());
        }
        assertTrue(conv >= 6);
    }
}
