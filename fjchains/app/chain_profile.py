"""The Chains page's profile of one chain: category, named counties, the source's words."""

from __future__ import annotations

import streamlit as st

from fjchains.app import session
from fjchains.app.cached import Data
from fjchains.app.chain_overlap import cluster_lines
from fjchains.detail import category_notes, citation
from fjchains.i18n import pick, t


def chain_picker(data: Data, lang: str) -> str:
    """Which chain the profile page shows: its own choice, first the first filtered chain."""
    chains = data.tables.chains.set_index("chain_id")
    ids = chains.index.tolist()
    default = (session.current_filters().chains or tuple(ids))[0]
    return session.state_widget(st.selectbox, t("chain_pick", lang), session.PROFILE_CHAIN, default, options=ids,
                                format_func=lambda c: pick(chains.loc[c], "name", lang))


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
