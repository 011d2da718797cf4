"""Ramulator 2.1 configuration scripts for the presets colsparse reproduces, for `ramulator export`.

    RAMREF_CONFIG=NAME PYTHONPATH=$RAM/python python3 -m ramulator export bench/dram/ramulator_config.py \
        -o bench/dram/NAME.yaml

NAME is one of CONFIGS below. The trace path is the placeholder @TRACE@, which compare.sh (and
whoever makes fixtures) replaces. This builds nothing; it only describes a configuration with
Ramulator's Python classes, which `export` expands into the full YAML (timing constraints
resolved to cycles) that Ramulator's C++ core and bench/dram/ramulator_run.cpp read.
"""
import os

import ramulator as r


def gddr6(**kw):
    return r.dram.GDDR6(org_preset="GDDR6_16Gb_x16", timing_preset="GDDR6_14000_1350mV_double", **kw)


def hbm3(**kw):
    return r.dram.HBM3(org_preset="HBM3_8Gb_8hi", timing_preset="HBM3_6400Mbps", **kw)


def hbm2(**kw):
    return r.dram.HBM2(org_preset="HBM2_2Gb", timing_preset="HBM2_2000Mbps", **kw)


def ddr5(**kw):
    return r.dram.DDR5(org_preset="DDR5_16Gb_x8", timing_preset="DDR5_4800AN", **kw)


# name -> (controller class, dram factory, channels, scheduler, refresh manager, row policy)
CONFIGS = {
    "ramulator2-gddr6": (r.controller.GenericDDR, gddr6, 2, r.scheduler.FRFCFS, r.refresh_manager.AllBank, r.row_policy.Open),
    "ramulator2-hbm3": (r.controller.HBM34, hbm3, 4, r.scheduler.FRFCFS, r.refresh_manager.AllBank, r.row_policy.Open),
    "hbm3-per-bank-refresh": (r.controller.HBM34, hbm3, 4, r.scheduler.FRFCFS, r.refresh_manager.HBM34PerBankRefresh, r.row_policy.Open),
    "hbm3-no-refresh": (r.controller.HBM34, hbm3, 4, r.scheduler.FRFCFS, r.refresh_manager.NoRefresh, r.row_policy.Open),
    "hbm3-closed-row": (r.controller.HBM34, hbm3, 4, r.scheduler.FRFCFS, r.refresh_manager.AllBank, r.row_policy.ClosedCAP),
    "hbm3-rowhit-first": (r.controller.HBM34, hbm3, 4, r.scheduler.FRFCFSRowHit, r.refresh_manager.AllBank, r.row_policy.Open),
    "hbm3-1ch": (r.controller.HBM34, hbm3, 1, r.scheduler.FRFCFS, r.refresh_manager.AllBank, r.row_policy.Open),
    "ramulator2-hbm2": (r.controller.HBM12, hbm2, 4, r.scheduler.FRFCFS, r.refresh_manager.AllBank, r.row_policy.Open),
    "hbm2-per-bank-refresh": (r.controller.HBM12, hbm2, 4, r.scheduler.FRFCFS, r.refresh_manager.PerBank, r.row_policy.Open),
    "hbm2-closed-row": (r.controller.HBM12, hbm2, 4, r.scheduler.FRFCFS, r.refresh_manager.AllBank, r.row_policy.ClosedCAP),
    "hbm2-1ch": (r.controller.HBM12, hbm2, 1, r.scheduler.FRFCFS, r.refresh_manager.AllBank, r.row_policy.Open),
    "ramulator2-ddr5": (r.controller.GenericDDR, ddr5, 2, r.scheduler.FRFCFS, r.refresh_manager.AllBank, r.row_policy.Open),
}

name = os.environ["RAMREF_CONFIG"]
ctrl_cls, dram, channels, scheduler, refresh, row_policy = CONFIGS[name]
controllers = [
    ctrl_cls(dram=dram(), scheduler=scheduler(), refresh_manager=refresh(), row_policy=row_policy(),
             addr_mapper=r.addr_mapper.RoBaRaCoCh())
    for _ in range(channels)
]
frontend = r.frontend.LoadStoreTrace(clock_ratio=1, path="@TRACE@")
memory = r.memory_system.GenericDRAM(clock_ratio=1, controllers=controllers,
                                     channel_mapper=r.channel_mapper.CacheLineInterleave())
r.Simulation(frontend, memory).run()
