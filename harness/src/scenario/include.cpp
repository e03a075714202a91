// `include: PATH`: a fragment file (a list of steps) expanded in place. Fragments are parsed
// once per load but charged to the node budget at every expansion, so a fragment included many
// times over several levels cannot multiply into an unbounded number of steps.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "steps.hpp"

namespace bcconform::scenario::detail {
namespace {

namespace fs = std::filesystem;

std::string cycle_text(const load_context& ctx, const std::string& key, const std::string& next) {
  std::string out;
  bool in_cycle = false;
  for (const auto& open : ctx.include_stack) {
    in_cycle = in_cycle || open.key == key;
    if (in_cycle) out += open.name + " -> ";
  }
  return out + next;
}

// The fragment at `path`, read and parsed on first use; errors go to its own file's positions
// (parse) or to the include step (`at`, unreadable).
const load_context::fragment& fetch(load_context& ctx, const std::string& key,
                                    const std::string& path, const source_pos& at) {
  const auto found = ctx.fragments.find(key);
  if (found != ctx.fragments.end()) return found->second;
  load_context::fragment& f = ctx.fragments[key];
  std::string text, error;
  if (!read_text(ctx.options, path, text, error)) {
    ctx.diag.add(at, "cannot read include '" + path + "': " + error);
    return f;
  }
  const std::size_t before = ctx.node_budget;
  f.root = parse_document(text, path, ctx.options.limits, ctx.node_budget, ctx.diag);
  f.nodes = before - ctx.node_budget;
  // The first expansion is paid for by the parse above; pay again before each later one.
  ctx.node_budget += f.nodes;
  return f;
}

// A fragment's top level is a list of steps; anything else is refused at the include step.
bool is_fragment(const walker& w, const entry& e, const std::string& path, const YAML::Node& root) {
  if (root.IsSequence()) return true;
  std::string message = "'" + path + "' is not a fragment (a list of steps): it holds " +
                        std::string(type_name(root));
  if (root.IsMap()) message += "; a scenario file cannot be included";
  w.error(e.value_pos, std::move(message));
  return false;
}

}  // namespace

bool read_text(const load_options& o, const std::string& path, std::string& text,
               std::string& error) {
  if (o.read_file) return o.read_file(path, text, error);
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    error = "is a directory";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return false;
  }
  // One byte more than the limit is enough for parse_document to refuse the file.
  text.resize(o.limits.max_file_bytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) {
    error = "read error";
    return false;
  }
  text.resize(static_cast<std::size_t>(in.gcount()));
  return true;
}

bool charge_nodes(load_context& ctx, std::size_t nodes, const source_pos& at) {
  if (ctx.node_budget >= nodes) {
    ctx.node_budget -= nodes;
    return true;
  }
  ctx.node_budget = 0;
  ctx.diag.add(at, max_nodes_message(ctx.options.limits.max_nodes));
  return false;
}

std::string canonical_key(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path, ec);
  if (ec) p = fs::absolute(path, ec).lexically_normal();
  return p.generic_string();
}

void include_steps(const entry& e, const source_pos& step_pos, const walker& w, load_context& ctx,
                   std::vector<parsed_step>& out) {
  const auto relative = w.scalar(e, "include (a path)");
  if (!relative) return;
  if (relative->empty() || fs::path(*relative).is_absolute()) {
    w.error(e.value_pos,
            "include takes a path relative to the including file, not '" + *relative + "'");
    return;
  }
  const std::string path =
      (fs::path(w.file()).parent_path() / *relative).lexically_normal().generic_string();
  if (ctx.include_stack.size() > ctx.options.limits.max_include_depth) {
    w.error(e.value_pos, "includes nested deeper than " +
                             std::to_string(ctx.options.limits.max_include_depth) +
                             " (max_include_depth)");
    return;
  }
  auto known = ctx.keys.find(path);
  if (known == ctx.keys.end()) known = ctx.keys.emplace(path, canonical_key(path)).first;
  const std::string& key = known->second;
  for (const auto& open : ctx.include_stack) {
    if (open.key != key) continue;
    w.error(e.value_pos, "include cycle: " + cycle_text(ctx, key, path));
    return;
  }
  const load_context::fragment& f = fetch(ctx, key, path, e.value_pos);
  if (!f.root || !charge_nodes(ctx, f.nodes, e.value_pos)) return;
  if (!is_fragment(w, e, path, *f.root)) return;
  const walker fw(path, ctx.diag);
  const std::size_t first = out.size();
  ctx.include_stack.push_back({key, path});
  parse_steps(*f.root, fw.pos(*f.root), "include '" + path + "'", fw, ctx, out);
  ctx.include_stack.pop_back();
  const std::string from = source_pos{step_pos.file, step_pos.line, 0}.to_string();
  for (std::size_t i = first; i < out.size(); ++i) {
    if (out[i].value.included_from.empty()) out[i].value.included_from = from;
  }
}

}  // namespace bcconform::scenario::detail
