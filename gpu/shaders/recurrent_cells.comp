// variants: lstm_cell_forward:OP=0 lstm_cell_backward:OP=1 gru_gates_forward:OP=2 gru_output_forward:OP=3 gru_output_backward:OP=4 gru_gates_backward:OP=5
#version 450
// Recurrent cells in TF.js's form (core/ops/ops_backend.h has the formulas;
// core/ops/cpu/cpu_backend_recurrent.cpp is the reference): one invocation
// per (batch row r, unit j), n = B * u, touching element j of every gate
// third/quarter of row r. `rec` and `act` are Activation numbers
// (activation.glsl); derivatives are taken at the pre-activations, given
// the gate values (and at c for act(c)).
// lstm_cell_backward: dc_prev may alias dc; each invocation reads its dc
// element before it writes its dc_prev element, and no other invocation
// touches either.
#include "common.glsl"
#include "activation.glsl"
LINEAR_LAYOUT
PUSH(uint n; uint u; int rec; int act;)

#if OP == 0
IN(0, pre)
IN(1, c_prev)
OUT(2, gates)
OUT(3, c)
OUT(4, h)
#elif OP == 1
IN(0, pre)
IN(1, gates)
IN(2, c_prev)
IN(3, c)
IN(4, dh)
IN(5, dc)
OUT(6, dpre)
OUT(7, dc_prev)
#elif OP == 2
IN(0, h_rec)
IN(1, h_prev)
OUT(2, pre)
OUT(3, gates)
OUT(4, rh)
#elif OP == 3
IN(0, rh_rec)
IN(1, h_prev)
OUT(2, pre)
OUT(3, gates)
OUT(4, h)
#elif OP == 4
IN(0, pre)
IN(1, gates)
IN(2, h_prev)
IN(3, dh)
OUT(4, dpre_zr)
OUT(5, dpre_h)
OUT(6, dh_prev)
#elif OP == 5
IN(0, pre)
IN(1, gates)
IN(2, h_prev)
IN(3, drh)
OUT(4, dpre_zr)
OUT(5, dh_prev)
#endif

void main() {
  const uint u = p.u;
  FOR_EACH(e, p.n) {
    const uint r = e / u, j = e - r * u;
#if OP == 0
    // gates [B, 4u] = [rec(i), rec(f), act(c~), rec(o)]; c = f*c_prev + i*c~; h = o*act(c)
    const uint g = r * 4u * u + j;
    const float gi = activation_value(p.rec, pre[p.off[0] + g]);
    const float gf = activation_value(p.rec, pre[p.off[0] + g + u]);
    const float gc = activation_value(p.act, pre[p.off[0] + g + 2u * u]);
    const float go = activation_value(p.rec, pre[p.off[0] + g + 3u * u]);
    gates[p.off[2] + g] = gi;
    gates[p.off[2] + g + u] = gf;
    gates[p.off[2] + g + 2u * u] = gc;
    gates[p.off[2] + g + 3u * u] = go;
    const float cv = gf * c_prev[p.off[1] + e] + gi * gc;
    c[p.off[3] + e] = cv;
    h[p.off[4] + e] = go * activation_value(p.act, cv);
#elif OP == 1
    const uint g = r * 4u * u + j;
    const float pi = pre[p.off[0] + g], pf = pre[p.off[0] + g + u];
    const float pc = pre[p.off[0] + g + 2u * u], po = pre[p.off[0] + g + 3u * u];
    const float gi = gates[p.off[1] + g], gf = gates[p.off[1] + g + u];
    const float gc = gates[p.off[1] + g + 2u * u], go = gates[p.off[1] + g + 3u * u];
    const float cv = c[p.off[3] + e], dhv = dh[p.off[4] + e];
    const float dcv = dc[p.off[5] + e];  // before dc_prev (may be the same element) is written
    const float tc = activation_value(p.act, cv);
    const float total = dcv + dhv * go * activation_derivative(p.act, cv, tc);
    dpre[p.off[6] + g] = total * gc * activation_derivative(p.rec, pi, gi);
    dpre[p.off[6] + g + u] = total * c_prev[p.off[2] + e] * activation_derivative(p.rec, pf, gf);
    dpre[p.off[6] + g + 2u * u] = total * gi * activation_derivative(p.act, pc, gc);
    dpre[p.off[6] + g + 3u * u] = dhv * tc * activation_derivative(p.rec, po, go);
    dc_prev[p.off[7] + e] = total * gf;
#elif OP == 2
    // pre[:, zr] += h_rec[:, zr]; gates[:, zr] = rec(pre[:, zr]); rh = r * h_prev
    const uint g = r * 3u * u + j;
    const float pz = pre[p.off[2] + g] + h_rec[p.off[0] + g];
    const float pr = pre[p.off[2] + g + u] + h_rec[p.off[0] + g + u];
    pre[p.off[2] + g] = pz;
    pre[p.off[2] + g + u] = pr;
    const float gz = activation_value(p.rec, pz), gr = activation_value(p.rec, pr);
    gates[p.off[3] + g] = gz;
    gates[p.off[3] + g + u] = gr;
    rh[p.off[4] + e] = gr * h_prev[p.off[1] + e];
#elif OP == 3
    // pre[:, h] += rh_rec[:, h]; gates[:, h] = act(pre[:, h]); h = z*h_prev + (1-z)*h~
    const uint g = r * 3u * u + j;
    const float ph = pre[p.off[2] + g + 2u * u] + rh_rec[p.off[0] + g + 2u * u];
    pre[p.off[2] + g + 2u * u] = ph;
    const float hh = activation_value(p.act, ph);
    gates[p.off[3] + g + 2u * u] = hh;
    const float z = gates[p.off[3] + g];
    h[p.off[4] + e] = z * h_prev[p.off[1] + e] + (1.0 - z) * hh;
#elif OP == 4
    // dpre_zr[:, z] = dh*(h_prev - h~)*rec'(pre_z); dpre_h[:, h] = dh*(1 - z)*act'(pre_h);
    // the other thirds 0; dh_prev += dh*z
    const uint g = r * 3u * u + j;
    const float z = gates[p.off[1] + g], hh = gates[p.off[1] + g + 2u * u];
    const float d = dh[p.off[3] + e];
    dpre_zr[p.off[4] + g] = d * (h_prev[p.off[2] + e] - hh) * activation_derivative(p.rec, pre[p.off[0] + g], z);
    dpre_zr[p.off[4] + g + u] = 0.0;
    dpre_zr[p.off[4] + g + 2u * u] = 0.0;
    dpre_h[p.off[5] + g] = 0.0;
    dpre_h[p.off[5] + g + u] = 0.0;
    dpre_h[p.off[5] + g + 2u * u] = d * (1.0 - z) * activation_derivative(p.act, pre[p.off[0] + g + 2u * u], hh);
    dh_prev[p.off[6] + e] += d * z;
#elif OP == 5
    // dpre_zr[:, r] = drh*h_prev*rec'(pre_r); dh_prev += drh*r
    const uint g = r * 3u * u + j + u;
    const float gr = gates[p.off[1] + g], d = drh[p.off[3] + e];
    dpre_zr[p.off[4] + g] = d * h_prev[p.off[2] + e] * activation_derivative(p.rec, pre[p.off[0] + g], gr);
    dh_prev[p.off[5] + e] += d * gr;
#endif
  }
}
