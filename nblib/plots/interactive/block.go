package interactive

import (
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// Block is an HTML block of charts (Row, Switch) with its plain-text fallback.
type Block struct {
	HTML string
	Text string
}

// RowBlock lays charts out left to right (Row) and joins their plain-text fallbacks.
func RowBlock(charts ...*Chart) Block {
	return Block{HTML: Row(charts...), Text: ChartsText(charts...)}
}

// sendRich shows html in the notebook with a plain-text fallback (display id "" for a new output, else
// the output to create or update in place). Jupyter shows text/plain where it cannot show HTML: an
// untrusted notebook, GitHub, nbviewer without JavaScript.
func sendRich(displayID, html, text string) {
	if text == "" {
		text = "(an HTML output: open the notebook trusted in Jupyter to see it)"
	}
	gonbui.SendData(&protocol.DisplayData{
		Data:      map[protocol.MIMEType]any{protocol.MIMETextHTML: html, protocol.MIMETextPlain: text},
		DisplayID: displayID,
	})
}

// DisplayBlock shows a block of charts in a GoNB notebook, loading ECharts first if this session has
// not; outside a notebook it does nothing.
func DisplayBlock(b Block) error {
	if !gonbui.IsNotebook {
		return nil
	}
	if err := ensureLoaded(); err != nil {
		return err
	}
	sendRich("", b.HTML, b.Text)
	gonbui.Sync()
	return nil
}

// Markdown shows Markdown text in a GoNB notebook (and nothing elsewhere), with the text itself as the
// plain-text fallback, so notebooks need not import gonbui themselves.
func Markdown(text string) {
	if !gonbui.IsNotebook {
		return
	}
	gonbui.SendData(&protocol.DisplayData{
		Data: map[protocol.MIMEType]any{protocol.MIMETextMarkdown: text, protocol.MIMETextPlain: text},
	})
}
