// variants: activation_backward_linear:ACT=0 activation_backward_elu:ACT=1 activation_backward_hard_sigmoid:ACT=2 activation_backward_relu:ACT=3 activation_backward_relu6:ACT=4 activation_backward_selu:ACT=5 activation_backward_sigmoid:ACT=6 activation_backward_softplus:ACT=8 activation_backward_softsign:ACT=9 activation_backward_tanh:ACT=10 activation_backward_swish:ACT=11 activation_backward_mish:ACT=12 activation_backward_gelu:ACT=13
#version 450
// dx = dy * f'(x) element-wise, f' from x and y = f(x) (activation.glsl, TF.js
// kinks); one kernel per activation (ACT numbers enum class Activation) but
// softmax (row_ops.comp). dx may be dy.
#include "common.glsl"
#include "activation.glsl"
LINEAR_LAYOUT
PUSH(uint n;)
IN(0, x)
IN(1, y)
IN(2, dy)
OUT(3, dx)

void main() {
  FOR_EACH(i, p.n) {
    const float g = dy[p.off[2] + i];
    dx[p.off[3] + i] = ACT == ACT_LINEAR ? g : g * activation_derivative(ACT, x[p.off[0] + i], y[p.off[1] + i]);
  }
}
