"""The Chains page's profile of one chain: category, named counties, the source's words."""

from __future__ import annotations

import streamlit as st

from fjchains.app import session
from fjchains.app.cached import Data
from fjchains.app.panels.chain_overlap import cluster_lines
from fjchains.app.panels.pictures import screen_only
from fjchains.core.i18n import pick, t
from fjchains.data.detail import category_notes, citation


def chosen_chain(data: Data) -> str | None:
    """The chain the page profiles: the sidebar's (one selector; the URL's ?chain= is the same
    state), or None when the sidebar chose none."""
    return session.profile_chain(data.tables.chains["chain_id"].tolist())


def chain_index(data: Data, lang: str) -> None:
    """With no chain chosen: every chain, each a button that opens its profile."""
    with screen_only("chain_pick_hint"):
        st.info(t("chain_pick_hint", lang))
    chains = data.tables.chains
    for cell, (_, chain) in zip(st.columns(4) * 2, chains.iterrows(), strict=False):
        cell.button(pick(chain, "name", lang), key=f"open_chain_{chain['chain_id']}", on_click=session.show_chain,
                    args=(chain["chain_id"],), width="stretch")


def chain_profile(data: Data, chain_id: str, lang: str) -> None:
    """Category, counties named, the source's exact words and its citation."""
    chain = data.tables.chains.set_index("chain_id").loc[chain_id]
    named = data.layer[data.layer["chain_ids"].map(lambda ids: chain_id in ids)]
    colon = t("colon", lang)
    st.markdown(f"### {pick(chain, 'name', lang)}")
    st.markdown(f"**{t('category', lang)}**{colon}{t('cat_' + chain['category'], lang)}")
    for note in category_notes([chain["category"]], lang):
        st.caption(note)
    st.markdown(f"**{t('chain_counties', lang)}**{t('in_paren', lang, text=len(named))}")
    st.write(t("list_sep", lang).join(pick(r, "name", lang) for _, r in named.iterrows()))
    cluster_lines(data, chain_id, lang)
    st.markdown(f"**{t('chain_quote', lang)}**")
    st.text(f"“{chain['source_quote']}”")  # the source's exact words, marked as a quote
    st.caption(f"{t('source', lang)}{colon}{citation(data.tables, chain['source'], lang)}")
