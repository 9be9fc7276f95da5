#include "io/cli/argument_check.h"

#include <algorithm>
#include <cctype>

namespace credsweep::io::cli {
namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

bool IsNegativeNumber(std::string_view s) {
  return s.size() > 1 && s[0] == '-' && (std::isdigit(static_cast<unsigned char>(s[1])) || s[1] == '.');
}

// "-x", "--name", not "-" (stdin/stdout) and not "-5".
bool LooksLikeOption(std::string_view s) { return s.size() > 1 && s[0] == '-' && !IsNegativeNumber(s); }

// The option spelled `name` ("--out", "-o") on `app` or an ancestor, or null.
const CLI::Option* FindOption(const CLI::App* app, const std::string& name) {
  for (; app; app = app->get_parent()) {
    for (const CLI::Option* o : app->get_options()) {
      if (!o->nonpositional()) continue;
      const auto& l = o->get_lnames();
      const auto& s = o->get_snames();
      if ((name.starts_with("--") && std::find(l.begin(), l.end(), name.substr(2)) != l.end()) ||
          (!name.starts_with("--") && std::find(s.begin(), s.end(), name.substr(1)) != s.end())) {
        return o;
      }
    }
  }
  return nullptr;
}

std::vector<std::string> OptionNames(const CLI::App* app) {
  std::vector<std::string> names;
  for (; app; app = app->get_parent()) {
    for (const CLI::Option* o : app->get_options()) {
      for (const auto& l : o->get_lnames()) names.push_back("--" + l);
      for (const auto& s : o->get_snames()) names.push_back("-" + s);
    }
  }
  return names;
}

bool HasPositionals(const CLI::App* app) {
  auto all = app->get_options([](const CLI::Option* o) { return !o->nonpositional(); });
  return !all.empty();
}

std::string CommandPath(const CLI::App* app) {
  std::string path;
  for (; app && app->get_parent(); app = app->get_parent()) path = " " + app->get_name() + path;
  return "credsweep" + path;
}

}  // namespace

std::string Nearest(std::string_view given, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (const auto& c : candidates) {
    size_t d = EditDistance(given, c);
    if (given.size() >= 4 && c.starts_with(given)) d = std::min<size_t>(d, 1);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  size_t allowed = std::max<size_t>(2, given.size() / 3);
  return best_distance <= allowed ? best : std::string();
}

std::string DidYouMean(std::string_view given, const std::vector<std::string>& candidates) {
  std::string n = Nearest(given, candidates);
  return n.empty() ? std::string() : "; did you mean '" + n + "'?";
}

std::vector<std::string> SubcommandNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(s->get_name());
  }
  return names;
}

std::optional<std::string> CheckArguments(const CLI::App& root, const std::vector<std::string>& args) {
  const CLI::App* app = &root;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") return std::nullopt;  // the rest is positional
    if (!LooksLikeOption(a)) {
      std::vector<std::string> subs = SubcommandNames(*app);
      if (std::find(subs.begin(), subs.end(), a) != subs.end()) {
        app = app->get_subcommand(a);
      } else if (!subs.empty() && !HasPositionals(app)) {
        std::string what = app == &root ? "command '" + a + "'" : "subcommand '" + a + "' of '" + CommandPath(app) + "'";
        return "unknown " + what + DidYouMean(a, subs) + " (see: " + CommandPath(app) + " --help)";
      }
      continue;
    }
    // "--name=value", "-xVALUE": the value is attached.
    bool attached = false;
    std::string name = a;
    if (a.starts_with("--")) {
      if (size_t eq = a.find('='); eq != std::string::npos) {
        name = a.substr(0, eq);
        attached = true;
      }
    } else if (a.size() > 2) {
      name = a.substr(0, 2);
      attached = true;
    }
    const CLI::Option* opt = FindOption(app, name);
    if (!opt) {
      return "unknown option '" + name + "' for '" + CommandPath(app) + "'" + DidYouMean(name, OptionNames(app)) +
             " (see: " + CommandPath(app) + " --help)";
    }
    if (opt->get_items_expected_max() == 0 || attached) continue;  // a flag, or its value is attached
    if (i + 1 < args.size() && LooksLikeOption(args[i + 1])) {
      return "option '" + name + "' needs a value, and '" + args[i + 1] +
             "' looks like an option; write " + name + "=" + args[i + 1] + " if it is the value";
    }
    ++i;  // the value
  }
  return std::nullopt;
}

}  // namespace credsweep::io::cli
