package optim

import (
	"fmt"
	"path"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// MomentumScope is the root scope of the velocity variables.
const MomentumScope = "sgd_momentum"

// Momentum is stochastic gradient descent with momentum; see the package documentation for the update.
// It implements GoMLX's optimizer.Interface and train.OptimizeWithGradients.
type Momentum struct {
	LearningRate float64 // lr > 0
	Momentum     float64 // mu in [0, 1)
	Nesterov     bool    // use Nesterov's look-ahead step
}

// SGDMomentum returns momentum SGD with the given learning rate and momentum (the authors' CNN used
// SGDMomentum(0.01, 0.9)). It panics on a learning rate <= 0 or a momentum outside [0, 1): those are
// programming errors, not bad data.
func SGDMomentum(learningRate, momentum float64) *Momentum {
	if !(learningRate > 0) {
		panic(fmt.Sprintf("optim: learning rate %g must be > 0", learningRate))
	}
	if !(momentum >= 0 && momentum < 1) {
		panic(fmt.Sprintf("optim: momentum %g must be in [0, 1)", momentum))
	}
	return &Momentum{LearningRate: learningRate, Momentum: momentum}
}

// UpdateGraph builds one training step: gradients of the scalar loss for every trainable variable in
// scope used by the graph, then the velocity and variable updates. It panics on a non-scalar loss.
func (o *Momentum) UpdateGraph(scope *model.Scope, g *graph.Graph, loss *graph.Node) {
	_ = g
	if !loss.Shape().IsScalar() {
		panic(fmt.Sprintf("optim: the loss must be a scalar, got shape %s", loss.Shape()))
	}
	o.UpdateGraphWithGradients(scope, scope.BuildTrainableVariablesGradientsGraph(loss), loss.DType())
}

// UpdateGraphWithGradients applies the update with gradients already computed, in the order of
// scope.BuildTrainableVariablesGradientsGraph (for GoMLX's gradient accumulation).
func (o *Momentum) UpdateGraphWithGradients(scope *model.Scope, grads []*graph.Node, lossDType dtypes.DType) {
	if len(grads) == 0 {
		panic("optim: no gradients: the loss does not depend on any trainable variable")
	}
	g := grads[0].Graph()
	checkTraining(scope, g)
	vars := trainableInGraph(scope, g)
	if len(vars) != len(grads) {
		panic(fmt.Sprintf("optim: %d gradients for %d trainable variables (variables created in between?)", len(grads), len(vars)))
	}
	lr := optimizer.LearningRateVar(scope, lossDType, o.LearningRate).NodeValue(g)
	_ = optimizer.IncrementGlobalStep(g, lossDType)
	for i, v := range vars {
		o.step(scope, v, grads[i], lr)
	}
}

// checkTraining panics when the graph is not in training mode on a backend that embeds variables
// as constants outside training: the updates would be computed but never fed back, a silent no-op.
func checkTraining(scope *model.Scope, g *graph.Graph) {
	if scope.Store().IsTraining(g) {
		return
	}
	if b := g.Backend(); b != nil && b.Capabilities().PreferConstantsForVariables {
		panic("optim: UpdateGraph on a graph not in training mode: backend " + b.Name() +
			" embeds variables as constants there, so updates would be lost; call scope.SetTraining(g, true) " +
			"first (train.Trainer does)")
	}
}

// trainableInGraph lists, before any velocity is created, the variables that received gradients.
func trainableInGraph(scope *model.Scope, g *graph.Graph) []*model.Variable {
	var out []*model.Variable
	for v := range scope.IterVariables() {
		if v.Trainable && v.InUseByGraph(g) {
			out = append(out, v)
		}
	}
	return out
}

// step updates one variable and its velocity.
func (o *Momentum) step(scope *model.Scope, v *model.Variable, grad, lr *graph.Node) {
	dtype := v.DType()
	if grad.DType() != dtype {
		grad = graph.ConvertDType(grad, dtype)
	}
	if lr.DType() != dtype {
		lr = graph.ConvertDType(lr, dtype)
	}
	grad = optimizer.ClipNaNsInGradients(scope, grad)
	velocityVar := velocity(scope, v)
	mu := graph.Scalar(grad.Graph(), dtype, o.Momentum)
	vel := graph.Add(graph.Mul(mu, velocityVar.NodeValue(grad.Graph())), grad)
	velocityVar.SetNodeValue(vel)
	direction := vel
	if o.Nesterov {
		direction = graph.Add(grad, graph.Mul(mu, vel))
	}
	stepNode := optimizer.ClipStepByValue(scope, graph.Mul(lr, direction))
	value := v.NodeValue(grad.Graph())
	v.SetNodeValue(optimizer.ClipNaNsInUpdates(scope, value, graph.Sub(value, stepNode)))
}

// velocity returns (creating it at zero if needed) the velocity variable of a trainable variable.
func velocity(scope *model.Scope, v *model.Variable) *model.Variable {
	store := scope.Store()
	return store.Scope(path.Join("/", MomentumScope, v.Scope())).
		WithInitializer(initializer.Zero).
		VariableWithShape(v.Name()+"_velocity", v.Shape()).
		SetTrainable(false)
}

// Clear deletes the velocity variables, so the next training starts from zero velocity.
func (o *Momentum) Clear(scope *model.Scope) error {
	return scope.Store().DeleteVariablesInScope("/" + MomentumScope)
}
