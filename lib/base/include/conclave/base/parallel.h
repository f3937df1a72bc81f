// ParallelFor: how a caller lends its worker threads to pure code.
//
// The libraries below net start no thread of their own (DESIGN.md). Where a
// computation splits into independent pieces that dominate its cost (the
// signature checks of a joined group's tree: one per member), a function
// takes an optional ParallelFor; the application, which owns the threads,
// passes one that runs the pieces on its workers.
//
//   parallel(n, body): calls body(i) once for every i in [0, n), possibly
//   concurrently, and returns when every call has returned.
//
// A null or empty ParallelFor means: run body(0) .. body(n-1) in order on
// the calling thread. body must be safe to call concurrently for distinct i.
#pragma once

#include <cstddef>
#include <functional>

namespace conclave {

using ParallelFor = std::function<void(size_t count, const std::function<void(size_t)>& body)>;

}  // namespace conclave
