// variants: activation_forward_linear:ACT=0 activation_forward_elu:ACT=1 activation_forward_hard_sigmoid:ACT=2 activation_forward_relu:ACT=3 activation_forward_relu6:ACT=4 activation_forward_selu:ACT=5 activation_forward_sigmoid:ACT=6 activation_forward_softplus:ACT=8 activation_forward_softsign:ACT=9 activation_forward_tanh:ACT=10 activation_forward_swish:ACT=11 activation_forward_mish:ACT=12 activation_forward_gelu:ACT=13
#version 450
// y = f(x) element-wise for every activation but softmax (row_ops.comp); one kernel
// per activation, ACT numbering enum class Activation. y may be x (in place).
#include "common.glsl"
#include "activation.glsl"
LINEAR_LAYOUT
PUSH(uint n;)
IN(0, x)
OUT(1, y)

void main() {
  FOR_EACH(i, p.n) y[p.off[1] + i] = activation_value(ACT, x[p.off[0] + i]);
}
