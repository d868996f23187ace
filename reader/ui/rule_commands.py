"""The rules' palette commands (ctrl+p): add a rule of each action (the query is the
current search's to begin with), and for each rule: edit the query, change the
action, delete.  Every rule added or edited is previewed before it is saved."""

from __future__ import annotations

from functools import partial

from reader.config import ACTIONS
from reader.ui.commands import ListedCommands, main_screen
from reader.ui.sanitize import clean_line, markup_safe
from reader.ui.screens.rule_nodes import other_actions
from reader.ui.screens.rule_preview import VERBS


class RuleCommands(ListedCommands):
    """"Add a rule: hide …", and "Rule NAME: edit the query / hide instead / delete"."""

    def _commands(self) -> list[tuple[str, object, str]]:
        main = main_screen(self)
        if main is None:
            return []
        nodes, out = main.rule_nodes, []
        search = clean_line(main.search_text)
        for action in ACTIONS:
            out.append((f"Add a rule: {VERBS[action]} the articles of a query", partial(
                nodes.add, action), markup_safe(f"previewed first; from: {search}"
                                                if search else "previewed first")))
        for rule in nodes.rules.rules:
            name, about = clean_line(rule.name), markup_safe(
                f"{rule.action}: {clean_line(rule.query)}")
            out.append((f"Rule {name}: edit the query", partial(nodes.edit_query, rule.name),
                        about))
            out += [(f"Rule {name}: {VERBS[action]} instead", partial(
                nodes.set_action, rule.name, action), about) for action in other_actions(rule)]
            out.append((f"Rule {name}: delete", partial(nodes.delete, rule.name), about))
        return out
