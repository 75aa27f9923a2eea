#pragma once
// How a scored account's explanation is written: flat columns (export scores),
// one JSON object (explain --format json, export scores --format json), or
// text for a person (explain).
#include <string>
#include <vector>

#include "cli/output.hpp"
#include "lib/corpus.hpp"
#include "scoring/result.hpp"

namespace influence::cli {

struct ExplainContext {
  const lib::Corpus& corpus;
  const scoring::Ranking& ranking;
  std::vector<std::string> topics;
};

std::vector<Column> explanation_columns();
std::vector<Cell> explanation_cells(const ExplainContext& x, const scoring::ScoredAccount& s);
std::string explanation_json(const ExplainContext& x, const scoring::ScoredAccount& s);
std::string explanation_text(const ExplainContext& x, const scoring::ScoredAccount& s);

}  // namespace influence::cli
