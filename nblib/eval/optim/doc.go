// Package optim holds GoMLX optimizers that GoMLX v0.28.16 lacks; today one: stochastic gradient
// descent with (heavy-ball) momentum, the optimizer of the authors' downstream CNN (learning rate 0.01,
// momentum 0.9).
//
// # Momentum SGD
//
// For every trainable variable w with gradient g_t at step t, a velocity v (zero at the start) is kept
// and updated as in PyTorch's torch.optim.SGD (dampening 0, no weight decay):
//
//	v_t = mu v_{t-1} + g_t
//	w_t = w_{t-1} - lr v_t
//
// With Nesterov set, the step uses the look-ahead gradient instead: w_t = w_{t-1} - lr (g_t + mu v_t).
// Keras' SGD(momentum=mu) writes the same rule as u_t = mu u_{t-1} - lr g_t, w_t = w_{t-1} + u_t, i.e.
// u = -lr v: both frameworks take identical steps for a constant learning rate.
//
// The learning rate lives in GoMLX's usual non-trainable variable (optimizer.LearningRateVar, path
// /optimizers/learning_rate) so a schedule can change it between steps, and the global step counter is
// incremented like GoMLX's own optimizers do. Velocities are non-trainable variables under the scope
// "/sgd_momentum/<variable's scope>", named "<variable>_velocity"; [Momentum.Clear] deletes them.
package optim
