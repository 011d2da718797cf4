// Standalone trace driver for Ramulator 2.1, which ships only a library and Python bindings.
// This file is colsparse's own code (not part of Ramulator); it links against the
// libramulator.so that the user built. It mirrors the clock loop of Ramulator's Python
// Simulation.run() (src/ramulator/python/bindings.cpp) so that cycle counts are identical,
// and prints Ramulator's stats YAML plus the wall and CPU time of the simulation loop.
//
// Build (RAM = your Ramulator 2.1 checkout, built with -DRAMULATOR_PYTHON_BINDINGS=OFF):
//   g++ -std=c++20 -O2 -I$RAM/src ramulator_run.cpp -L$RAM -lramulator -lyaml-cpp -lfmt \
//       -Wl,-rpath,$RAM -o ramulator_run
// Run:  ./ramulator_run config.yaml      (config exported by `python -m ramulator export`)
#include <chrono>
#include <ctime>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "ramulator/base/config.h"
#include "ramulator/base/factory.h"
#include "ramulator/frontend/i_frontend.h"
#include "ramulator/memory_system/i_memory_system.h"

using namespace Ramulator;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: ramulator_run CONFIG.yaml\n";
    return 2;
  }
  ConfigNode cfg = Config::parse_config_file(argv[1]);
  std::unique_ptr<IFrontEnd> frontend(Factory::create_frontend(cfg));
  std::unique_ptr<IMemorySystem> memory(Factory::create_memory_system(cfg));
  frontend->connect_memory_system(memory.get());
  memory->connect_frontend(frontend.get());

  int fe_tick = frontend->get_clock_ratio();
  int mem_tick = memory->get_clock_ratio();
  auto start = std::chrono::steady_clock::now();
  std::clock_t cpu_start = std::clock();
  int fe_count = mem_tick - 1, mem_count = fe_tick - 1;
  for (;;) {
    if (++fe_count >= mem_tick) {
      fe_count = 0;
      frontend->tick();
    }
    if (frontend->is_finished()) break;
    if (++mem_count >= fe_tick) {
      mem_count = 0;
      memory->tick();
    }
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double cpu = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;

  frontend->finalize();
  memory->finalize();
  frontend->update_stats_recursive();
  memory->update_stats_recursive();
  frontend->print_stats(std::cout);
  memory->print_stats(std::cout);
  std::cout << "wall_seconds: " << wall << "\ncpu_seconds: " << cpu << "\n";
  return 0;
}
