//! Breaking recursion: a struct that contains itself, directly or through other types, has
//! infinite size unless some field on the cycle is boxed. `Vec` and maps already allocate, so
//! only direct (or `Option`) containment counts.
//!
//! We find strongly connected components of the containment graph (Tarjan) and box every
//! field or union variant whose target sits in its owner's component. That boxes a few more
//! edges than strictly needed, but it is deterministic and local: a change elsewhere in the
//! document never moves a `Box`.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{TypeDef, TypeKind, TypeRef};

pub fn box_cycles(types: &mut [TypeDef]) {
    let index: BTreeMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    let edges: Vec<BTreeSet<usize>> = types
        .iter()
        .map(|t| direct_targets(t, types, &index))
        .collect();
    let component = strongly_connected(&edges);

    for i in 0..types.len() {
        let same = |ty: &TypeRef| {
            direct_target(ty, types, &index).is_some_and(|j| component[j] == component[i])
        };
        let boxed_fields: Vec<bool> = match &types[i].kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| same(&f.ty)).collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| same(&v.ty)).collect(),
            _ => Vec::new(),
        };
        match &mut types[i].kind {
            TypeKind::Struct(s) => {
                for (f, boxed) in s.fields.iter_mut().zip(boxed_fields) {
                    f.boxed = boxed;
                }
            }
            TypeKind::Union(u) => {
                for (v, boxed) in u.variants.iter_mut().zip(boxed_fields) {
                    v.boxed = boxed;
                }
            }
            _ => {}
        }
    }
}

/// The named type a field holds in place (through aliases), if any.
fn direct_target(
    ty: &TypeRef,
    types: &[TypeDef],
    index: &BTreeMap<String, usize>,
) -> Option<usize> {
    let mut current = ty;
    // Alias chains are short; the bound only guards against alias cycles.
    for _ in 0..types.len() + 1 {
        let TypeRef::Named(name) = current else {
            return None;
        };
        let i = *index.get(name)?;
        match &types[i].kind {
            TypeKind::Alias(inner) => current = inner,
            _ => return Some(i),
        }
    }
    None
}

fn direct_targets(
    t: &TypeDef,
    types: &[TypeDef],
    index: &BTreeMap<String, usize>,
) -> BTreeSet<usize> {
    match &t.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter_map(|f| direct_target(&f.ty, types, index))
            .collect(),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .filter_map(|v| direct_target(&v.ty, types, index))
            .collect(),
        _ => BTreeSet::new(),
    }
}

/// Tarjan's algorithm, iterative so deep graphs cannot overflow the stack. Returns the
/// component id of each node.
fn strongly_connected(edges: &[BTreeSet<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    let adjacency: Vec<Vec<usize>> = edges.iter().map(|e| e.iter().copied().collect()).collect();

    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some((v, child)) = work.pop() {
            if child == 0 {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = adjacency[v].get(child) {
                work.push((v, child + 1));
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cycles_and_singletons() {
        // 0 → 1 → 2 → 0, 3 → 3, 4 alone.
        let edges = vec![
            BTreeSet::from([1]),
            BTreeSet::from([2]),
            BTreeSet::from([0]),
            BTreeSet::from([3]),
            BTreeSet::new(),
        ];
        let c = strongly_connected(&edges);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[0], c[3]);
        assert_ne!(c[3], c[4]);
    }
}
