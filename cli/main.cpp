#include "cli/app.hpp"

int main(int argc, char** argv) { return influence::cli::run(argc, argv); }
