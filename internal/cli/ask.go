package cli

func askCommand() *command   { return &command{name: "ask", summary: "ask a question (not yet)"} }
func evalCommand() *command  { return &command{name: "eval", summary: "evaluate a question file (not yet)"} }
func modelCommand() *command { return &command{name: "model", summary: "semantic models (not yet)"} }
