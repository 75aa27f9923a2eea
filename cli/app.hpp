#pragma once

namespace influence::cli {

// Parses the command line, runs the chosen subcommand, returns the exit code.
int run(int argc, char** argv);

}  // namespace influence::cli
