/**
 * The in-cell cards: `display(tokentoss.GoogleAuthWidget())` and
 * `display(tokentoss.ConfigureWidget())` emit our MIME types, drawn here.
 *
 * NOTE: the output's data is never read. A notebook's outputs come from whoever
 * wrote the notebook, so the cards take everything (client, issuer, scopes,
 * redirect URI) from the extension's own session model and server: an untrusted
 * notebook can show a card, never steer it. That is also why the factory is
 * `safe`. Everything but this factory is in a chunk fetched on first use.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

// Type only (erased): the card's drawing stays in the lazy chunk.
import type { ICardContext } from './cardView';

/**
 * The renderer factory for both cards (`display(GoogleAuthWidget())`: sign-in,
 * `display(ConfigureWidget())`: client form). Rank 40: ahead of HTML (50), whose
 * fallback text is for front ends without this extension.
 */
export function cardFactory(
  context: ICardContext
): IRenderMime.IRendererFactory {
  return {
    safe: true,
    mimeTypes: [
      'application/vnd.tokentoss.signin+json',
      'application/vnd.tokentoss.configure+json'
    ],
    defaultRank: 40,
    createRenderer: ({ mimeType }) => {
      const card = new Widget() as Widget & IRenderMime.IRenderer;
      // `model.data` is ignored on purpose (see the NOTE above).
      card.renderModel = () =>
        import(/* webpackChunkName: "tokentoss-panel" */ './cardView').then(
          view => view.drawCard(card, mimeType, context)
        );
      return card;
    }
  };
}
